import type { Payload } from 'payload'
import { publicStoryFilter } from '../../access/stories.ts'
import { houseRights } from '../../channels/house.ts'
import type { LexicalNode, LinkNode } from '../../channels/lexical/nodes.ts'
import type { PublishedStory } from '../../channels/types.ts'
import type { Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { plateStory } from '../plate/plateStory.ts'

/**
 * A version of a story plated as it would be published now: the same `plateStory` every
 * outlet serves, from the version's own words and images. A link in its body to another
 * story is an address only when the public may read that story now (as the site build links
 * it), plain words otherwise; an embargo is kept only while it holds (as partners get it).
 */
export async function previewPlate({
  payload,
  doc,
  now = new Date(),
}: {
  payload: Payload
  doc: Story
  now?: Date
}): Promise<PublishedStory> {
  const linked = await publicLinkedStories({ payload, doc, now })
  const root = (doc.body?.root ?? null) as unknown as LexicalNode | null
  const body = root
    ? ({ ...doc.body, root: withPublicLinks({ node: root, linked }) } as Story['body'])
    : doc.body
  const plate = plateStory({ doc: { ...doc, body }, rights: houseRights })
  const isEmbargoed = Boolean(doc.embargoUntil && Date.parse(doc.embargoUntil) > now.getTime())
  return { ...plate, embargoUntil: isEmbargoed ? (doc.embargoUntil ?? null) : null }
}

/** Every image file the plate shows (all renditions of the hero, body images and portraits). */
export function plateMediaFiles({ plate }: { plate: PublishedStory }): Set<string> {
  const images = [
    ...(plate.hero ? [plate.hero] : []),
    ...plate.images,
    ...plate.people.flatMap((person) => (person.portrait ? [person.portrait] : [])),
  ]
  return new Set(images.flatMap((image) => image.renditions.map((rendition) => rendition.filename)))
}

/** The slugs of the stories the body links to that the public may read now, by id. */
async function publicLinkedStories({
  payload,
  doc,
  now,
}: {
  payload: Payload
  doc: Story
  now: Date
}): Promise<Map<number, string>> {
  const ids = new Set<number>()
  for (const node of nodesOf((doc.body?.root ?? null) as unknown as LexicalNode | null)) {
    const id = linkedStoryId(node)
    if (id !== null) ids.add(id)
  }
  if (ids.size === 0) return new Map()
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { and: [publicStoryFilter({ now }), { id: { in: [...ids] } }] },
    select: { slug: true },
    depth: 0,
    draft: false,
    pagination: false,
    overrideAccess: true,
  })
  return new Map(docs.map((found) => [found.id, found.slug ?? String(found.id)]))
}

function withPublicLinks({ node, linked }: { node: LexicalNode; linked: Map<number, string> }): LexicalNode {
  const copy: LexicalNode = { ...node }
  if (Array.isArray(node.children))
    copy.children = node.children.map((child) => withPublicLinks({ node: child, linked }))
  const id = linkedStoryId(node)
  const fields = (node as LinkNode).fields
  if (id !== null && fields?.doc) {
    const slug = linked.get(id)
    // An id alone is a story the public may not read: the plate keeps the words, drops the link.
    copy.fields = { ...fields, doc: { ...fields.doc, value: slug === undefined ? id : { id, slug } } }
  }
  return copy
}

function linkedStoryId(node: LexicalNode): number | null {
  const fields = (node as LinkNode).fields
  if ((node.type !== 'link' && node.type !== 'autolink') || fields?.linkType !== 'internal') return null
  if (fields.doc?.relationTo !== collectionSlugs.stories) return null
  const value = fields.doc.value
  if (typeof value === 'number') return value
  const id = (value as { id?: unknown } | null | undefined)?.id
  return typeof id === 'number' ? id : null
}

function* nodesOf(node: LexicalNode | null | undefined): Generator<LexicalNode> {
  if (!node) return
  yield node
  if (Array.isArray(node.children)) for (const child of node.children) yield* nodesOf(child)
}
