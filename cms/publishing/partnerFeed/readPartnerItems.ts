import type { Payload, Where } from 'payload'
import { canceledNinjsItem, type NinjsItem, ninjsItem } from '../../channels/feeds/ninjs.ts'
import { houseRights } from '../../channels/house.ts'
import type { LexicalNode, LinkNode } from '../../channels/lexical/nodes.ts'
import type { PublishedStory } from '../../channels/types.ts'
import type { Partner, Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { liveStages } from '../../workflow/stages.ts'
import { plateStory, storyGuid } from '../plate/plateStory.ts'

/** A withdrawn story stays in partner feeds, as canceled, this long. */
export const CANCELED_VISIBLE_MS = 7 * 24 * 3_600_000
export const PARTNER_FEED_LIMIT = 50

export interface PartnerItem {
  id: number
  version: number
  /** The plate, for live stories; none for a withdrawn one. */
  story: PublishedStory | null
  ninjs: NinjsItem
  changedAt: string
  /**
   * When the item last changed for a partner, for `?since=` (ms since 1970): the story's last
   * save, or the end of its embargo if that came later.
   */
  touchedAtMs: number
  isEmbargoed: boolean
}

/**
 * What one partner may receive, newest change first: published stories in its sections,
 * released, or (for early-release partners) still under embargo and flagged; and stories
 * withdrawn in the last 7 days, as canceled.
 *
 * Read in two steps, so that a publish costs the one story it changed, not the feed's 50:
 * which stories the feed holds (their ids and last saves: one light query), then, at depth 2,
 * only those not already plated under the same save (see itemCache). A plate is reused
 * while its story, the stories its body links to and what it shows (`shownStamp`: sections,
 * people and media, see Freshness) are unchanged.
 */
export async function readPartnerItems({
  payload,
  partner,
  siteUrl,
  now,
  sectionId,
  shownStamp,
}: {
  payload: Payload
  partner: Partner
  siteUrl: string
  now: Date
  /** One of the partner's sections only (already checked to be in its scope). */
  sectionId?: number
  /** Freshness.shown, as read before this call. */
  shownStamp: string
}): Promise<PartnerItem[]> {
  const where = partnerWhere({ partner, now, sectionId })
  const { docs: heads } = await payload.find({
    collection: collectionSlugs.stories,
    where,
    sort: ['-updatedAt', '-id'],
    limit: PARTNER_FEED_LIMIT,
    pagination: false,
    depth: 0,
    draft: false,
    overrideAccess: true,
    select: { updatedAt: true },
  })
  const keyOf = (id: number, updatedAt: string) => `${id}:${updatedAt}:${shownStamp}`
  const reused = new Map<number, Promise<Plated | null>>()
  for (const head of heads) {
    const cached = itemCache.get(keyOf(head.id, head.updatedAt))
    if (cached) reused.set(head.id, cached)
  }
  await dropStaleLinks({ payload, reused })
  const missing = heads.filter((head) => !reused.has(head.id))
  if (missing.length) {
    const read = payload
      .find({
        collection: collectionSlugs.stories,
        where: { and: [where, { id: { in: missing.map((head) => head.id) } }] },
        limit: missing.length,
        pagination: false,
        depth: 2,
        draft: false,
        overrideAccess: true,
      })
      .then(({ docs }) => new Map(docs.map((doc) => [doc.id, doc])))
    for (const head of missing) {
      const plated = read.then((docs) => {
        const doc = docs.get(head.id)
        return doc ? { doc, links: linkedStories(doc), items: new Map<string, PartnerItem>() } : null
      })
      reused.set(head.id, plated)
      // Shared while it is read (another format's rendering waits for it rather than reading
      // it again); let go if the read failed or found it gone from this feed (another partner's
      // feed may hold it still).
      const key = keyOf(head.id, head.updatedAt)
      remember(key, plated)
      const forget = () => {
        if (itemCache.get(key) === plated) itemCache.delete(key)
      }
      void plated.then((found) => found || forget(), forget)
    }
  }
  const items: PartnerItem[] = []
  for (const head of heads) {
    const plated = await reused.get(head.id)
    // Left the feed between the two reads (unpublished, deleted): left out.
    if (!plated) continue
    const isEmbargoed = !!plated.doc.embargoUntil && Date.parse(plated.doc.embargoUntil) > now.getTime()
    const itemKey = `${siteUrl}:${isEmbargoed}`
    let item = plated.items.get(itemKey)
    if (!item) {
      item = partnerItem({ doc: plated.doc, siteUrl, now })
      plated.items.set(itemKey, item)
    }
    items.push(item)
  }
  return items
}

/** Which stories one partner may receive now (see readPartnerItems). */
function partnerWhere({
  partner,
  now,
  sectionId,
}: {
  partner: Partner
  now: Date
  sectionId: number | undefined
}): Where {
  const sections =
    sectionId !== undefined
      ? [sectionId]
      : (partner.allowedSections ?? []).map((s) => (typeof s === 'object' ? s.id : s))
  const released: Where = {
    or: [{ embargoUntil: { exists: false } }, { embargoUntil: { less_than_equal: now.toISOString() } }],
  }
  return {
    and: [
      { _status: { equals: 'published' } },
      ...(sections.length ? [{ section: { in: sections } }] : []),
      {
        or: [
          { and: [{ stage: { in: [...liveStages] } }, ...(partner.earlyRelease ? [] : [released])] },
          {
            and: [
              { stage: { equals: 'withdrawn' } },
              {
                updatedAt: {
                  greater_than_equal: new Date(now.getTime() - CANCELED_VISIBLE_MS).toISOString(),
                },
              },
            ],
          },
        ],
      },
    ],
  }
}

/**
 * A story as read at depth 2 for partner feeds, the last save of each story its body links
 * to as read then (a link shows the linked story's address), and its items as made from it
 * (by site and embargo state).
 */
type Plated = { doc: Story; links: Map<number, string | null>; items: Map<string, PartnerItem> }

/**
 * Plated stories by id, save and Freshness.shown, shared by every partner, format and section
 * (a feed read that finds one in flight waits for it rather than reading it again). At most
 * MAX_CACHED_PLATES, the oldest dropped first: enough for every feed's 50 items.
 */
const itemCache = new Map<string, Promise<Plated | null>>()
const MAX_CACHED_PLATES = 500

function remember(key: string, plated: Promise<Plated | null>) {
  itemCache.delete(key)
  itemCache.set(key, plated)
  if (itemCache.size > MAX_CACHED_PLATES) itemCache.delete(itemCache.keys().next().value as string)
}

/** The stories a body links to, with their last save as populated (null: not readable then). */
function linkedStories(doc: Story): Map<number, string | null> {
  const links = new Map<number, string | null>()
  const visit = (node: LexicalNode) => {
    const fields = (node as LinkNode).fields
    if ((node.type === 'link' || node.type === 'autolink') && fields?.linkType === 'internal') {
      const value = fields.doc?.value
      if (typeof value === 'number') links.set(value, null)
      else if (value && typeof value === 'object' && typeof (value as Story).id === 'number')
        links.set((value as Story).id, (value as Story).updatedAt ?? null)
    }
    for (const child of node.children ?? []) visit(child)
  }
  const root = (doc.body as { root?: LexicalNode } | null | undefined)?.root
  if (root) visit(root)
  return links
}

/** Leaves out of `reused` every plate linking to a story saved (or deleted) since it was read. */
async function dropStaleLinks({
  payload,
  reused,
}: {
  payload: Payload
  reused: Map<number, Promise<Plated | null>>
}): Promise<void> {
  const plated = new Map<number, Plated | null>()
  for (const [id, promise] of reused) plated.set(id, await promise.catch(() => null))
  const linked = [...new Set([...plated.values()].flatMap((entry) => (entry ? [...entry.links.keys()] : [])))]
  const current = linked.length
    ? new Map(
        (
          await payload.find({
            collection: collectionSlugs.stories,
            where: { id: { in: linked } },
            limit: linked.length,
            pagination: false,
            depth: 0,
            draft: false,
            overrideAccess: true,
            select: { updatedAt: true },
          })
        ).docs.map((doc) => [doc.id, doc.updatedAt]),
      )
    : new Map<number, string>()
  for (const [id, entry] of plated) {
    const isStale =
      !entry || [...entry.links].some(([linkedId, savedAt]) => (current.get(linkedId) ?? null) !== savedAt)
    if (isStale) reused.delete(id)
  }
}

function partnerItem({ doc, siteUrl, now }: { doc: Story; siteUrl: string; now: Date }): PartnerItem {
  const corrections = doc.corrections?.length ?? 0
  if (doc.stage === 'withdrawn') {
    const version = 2 + corrections
    return {
      id: doc.id,
      version,
      story: null,
      changedAt: doc.updatedAt,
      touchedAtMs: Date.parse(doc.updatedAt),
      isEmbargoed: false,
      ninjs: canceledNinjsItem({
        guid: storyGuid(doc.id),
        version,
        withdrawnAt: doc.updatedAt,
        firstcreated: doc.publishedAt ?? doc.createdAt,
      }),
    }
  }
  const embargoEndsMs = doc.embargoUntil ? Date.parse(doc.embargoUntil) : Number.NaN
  const isEmbargoed = embargoEndsMs > now.getTime()
  // The plate carries the embargo only while it holds: after release the story is plain usable.
  const story = {
    ...plateStory({ doc, rights: houseRights }),
    embargoUntil: isEmbargoed ? (doc.embargoUntil ?? null) : null,
  }
  return {
    id: doc.id,
    version: story.version,
    story,
    changedAt: story.updatedAt,
    touchedAtMs: Math.max(Date.parse(doc.updatedAt), isEmbargoed ? 0 : embargoEndsMs || 0),
    isEmbargoed,
    ninjs: ninjsItem({ story, siteUrl }),
  }
}
