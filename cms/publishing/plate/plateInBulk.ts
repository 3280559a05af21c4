import { createLocalReq, type Field, type FieldAccess, type Payload, type PayloadRequest } from 'payload'
import type { StoryLink, StorySummary } from '../../../site/planner/index.ts'
import { PUBLIC_PLATE_CONTEXT } from '../../access/roles.ts'
import { publicStoryFilter } from '../../access/stories.ts'
import { houseRights } from '../../channels/house.ts'
import type { LexicalNode, LinkNode, UploadNode } from '../../channels/lexical/nodes.ts'
import type { PublishedStory } from '../../channels/types.ts'
import type { Media, Person, Section, Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { plateStory, storyPath } from './plateStory.ts'
import { MAX_PLATE_PAGE_SIZE } from './readPublishedStories.ts'

/**
 * The plates of the stories among `ids` that the public may read now, a batch at a time (any
 * order), for the site build: the same plates as `readPublishedPage` gives (the public's read
 * at depth 2, then `plateStory`), at a fraction of the cost.
 *
 * - The stories' own columns come through the database adapter in one query a batch, under
 *   the same filter the collection's read access gives an anonymous reader
 *   (`publicStoryFilter`). No field hooks run: `plateStory` reads only public fields.
 * - What they show (media, people with their portraits, sections, stories their bodies link
 *   to) is read once a batch through Payload as the anonymous public reader, access
 *   enforced, and joined in memory: a relation the public may not read stays an id, which
 *   the plate leaves out, exactly as in the public's own read.
 *
 * Beside each plate: the stories its body links to, with the address the plate gave each,
 * and the story's former addresses, for the site build to tell when the plate goes stale
 * and which old addresses to redirect.
 */
export async function* plateInBulk({
  payload,
  ids,
}: {
  payload: Payload
  ids: number[]
}): AsyncGenerator<BulkPlate[]> {
  const req = await createLocalReq({ user: undefined, context: { [PUBLIC_PLATE_CONTEXT]: true } }, payload)
  const hidden = fieldsWithReadAccess(payload)
  const known: Known = { media: new Map(), people: new Map(), sections: new Map(), stories: new Map() }
  for (let at = 0; at < ids.length; at += MAX_PLATE_PAGE_SIZE) {
    const chunk = ids.slice(at, at + MAX_PLATE_PAGE_SIZE)
    const result = await payload.db.find<Story>({
      collection: collectionSlugs.stories,
      where: { and: [publicStoryFilter(), { id: { in: chunk } }] },
      pagination: false,
      limit: 0,
    })
    await readShown({ payload, stories: result.docs, known })
    const docs = await Promise.all(result.docs.map((doc) => withoutHiddenFields({ doc, req, hidden })))
    yield docs.map((doc) => ({
      story: plateStory({ doc: populate({ doc, known }), rights: houseRights }),
      links: linksOf({ doc, known }),
      formerPaths: (doc.formerSlugs ?? []).map(({ slug, leftAt }) => ({ path: storyPath(slug), leftAt })),
    }))
  }
}

/** A story's plate, and what the site build keeps beside it (see StorySummary). */
export type BulkPlate = { story: PublishedStory } & Pick<StorySummary, 'links' | 'formerPaths'>

type Known = {
  media: Map<number, Media>
  people: Map<number, Person>
  sections: Map<number, Section>
  /** Stories a body links to that the public may read: their slugs. */
  stories: Map<number, Pick<Story, 'id' | 'slug'>>
}

const idOf = (value: unknown): number | null => {
  if (typeof value === 'number') return value
  if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number')
    return (value as { id: number }).id
  return null
}

function* nodesOf(node: LexicalNode | null | undefined): Generator<LexicalNode> {
  if (!node) return
  yield node
  if (Array.isArray(node.children)) for (const child of node.children) yield* nodesOf(child)
}

const rootOf = (doc: Story) => (doc.body?.root ?? null) as unknown as LexicalNode | null

/** The id of the story an internal link points to, or null for any other node. */
function linkedStoryId(node: LexicalNode): number | null {
  const fields = (node as LinkNode).fields
  if ((node.type !== 'link' && node.type !== 'autolink') || fields?.linkType !== 'internal') return null
  return fields.doc?.relationTo === collectionSlugs.stories ? idOf(fields.doc.value) : null
}

/**
 * Every story the body links to, once, with the address the plate links it to: null when the
 * public may not read it (the link is plain text then).
 */
function linksOf({ doc, known }: { doc: Story; known: Known }): StoryLink[] {
  const ids = new Set<number>()
  for (const node of nodesOf(rootOf(doc))) {
    const id = linkedStoryId(node)
    if (id !== null) ids.add(id)
  }
  return [...ids].map((id) => {
    const slug = known.stories.get(id)?.slug
    return { id, path: typeof slug === 'string' ? storyPath(slug) : null }
  })
}

/** Reads, as the public, what `stories` show and `known` does not hold yet. */
async function readShown({ payload, stories, known }: { payload: Payload; stories: Story[]; known: Known }) {
  const wanted = {
    media: new Set<number>(),
    people: new Set<number>(),
    sections: new Set<number>(),
    stories: new Set<number>(),
  }
  const want = (kind: keyof Known, value: unknown) => {
    const id = idOf(value)
    if (id !== null && !known[kind].has(id)) wanted[kind].add(id)
  }
  for (const doc of stories) {
    want('media', doc.heroImage)
    for (const person of doc.people ?? []) want('people', person)
    want('sections', doc.section)
    for (const node of nodesOf(rootOf(doc))) {
      if (node.type === 'upload' && (node as UploadNode).relationTo === collectionSlugs.media)
        want('media', (node as UploadNode).value)
      want('stories', linkedStoryId(node))
    }
  }
  const reads = [
    // Depth 1 for people: each person's portrait.
    { kind: 'people', collection: collectionSlugs.people, depth: 1 },
    { kind: 'media', collection: collectionSlugs.media, depth: 0 },
    { kind: 'sections', collection: collectionSlugs.sections, depth: 0 },
    // A linked story shows only as its address.
    { kind: 'stories', collection: collectionSlugs.stories, depth: 0, select: { slug: true } },
  ] as const
  for (const { kind, collection, depth, ...rest } of reads) {
    if (wanted[kind].size === 0) continue
    const found = await payload.find({
      collection,
      where: { id: { in: [...wanted[kind]] } },
      depth,
      select: 'select' in rest ? rest.select : undefined,
      draft: false,
      pagination: false,
      overrideAccess: false,
      user: null,
      context: { [PUBLIC_PLATE_CONTEXT]: true },
    })
    const into = known[kind] as Map<number, unknown>
    for (const doc of found.docs) into.set(doc.id, doc)
  }
}

/** The story as the public's depth-2 read gives it: what it shows in place of the ids. */
function populate({ doc, known }: { doc: Story; known: Known }): Story {
  const lookup = <T>(map: Map<number, T>, value: unknown): T | number | null => {
    const id = idOf(value)
    return id === null ? null : (map.get(id) ?? id)
  }
  const root = rootOf(doc)
  return {
    ...doc,
    heroImage: lookup(known.media, doc.heroImage),
    people: (doc.people ?? []).map((person) => lookup(known.people, person) as Person | number),
    section: lookup(known.sections, doc.section) as Section | number,
    body: root ? ({ ...doc.body, root: populateNode(root, known) } as Story['body']) : doc.body,
  }
}

function populateNode(node: LexicalNode, known: Known): LexicalNode {
  const copy: LexicalNode = { ...node }
  if (Array.isArray(node.children)) copy.children = node.children.map((child) => populateNode(child, known))
  if (node.type === 'upload' && (node as UploadNode).relationTo === collectionSlugs.media) {
    const id = idOf((node as UploadNode).value)
    if (id !== null) copy.value = known.media.get(id) ?? id
  }
  const fields = (node as LinkNode).fields
  if (fields?.linkType === 'internal' && fields.doc?.relationTo === collectionSlugs.stories) {
    const id = idOf(fields.doc.value)
    if (id !== null) copy.fields = { ...fields, doc: { ...fields.doc, value: known.stories.get(id) ?? id } }
  }
  return copy
}

/**
 * The stories' fields with their own read access (staff-only: the embargo time, internal
 * notes…): the database adapter returns them, so they are dropped here for whom the access
 * says no, as Payload's read does. Only top-level fields may have one (a nested one would be
 * missed, so it is refused).
 */
function fieldsWithReadAccess(payload: Payload): { name: string; read: FieldAccess }[] {
  const fields = payload.collections[collectionSlugs.stories].config.fields
  const nested = (list: Field[]): boolean =>
    list.some(
      (field) =>
        ('fields' in field &&
          Array.isArray(field.fields) &&
          field.fields.some((f) => readAccessOf(f) || nested([f]))) ||
        ('tabs' in field && field.tabs.some((tab) => nested(tab.fields))),
    )
  if (nested(fields))
    throw new Error('plateInBulk: a nested field of stories has its own read access, which it does not apply')
  return fields.flatMap((field) => {
    const read = readAccessOf(field)
    return 'name' in field && read ? [{ name: field.name, read }] : []
  })
}

async function withoutHiddenFields({
  doc,
  req,
  hidden,
}: {
  doc: Story
  req: PayloadRequest
  hidden: { name: string; read: FieldAccess }[]
}): Promise<Story> {
  const kept: Record<string, unknown> = { ...doc }
  for (const { name, read } of hidden)
    if (!(await read({ req, id: doc.id, doc, data: doc, siblingData: doc }))) delete kept[name]
  return kept as unknown as Story
}

const readAccessOf = (field: Field): FieldAccess | undefined =>
  'access' in field ? (field.access as { read?: FieldAccess } | undefined)?.read : undefined
