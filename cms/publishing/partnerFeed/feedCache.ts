import type { Payload } from 'payload'
import type { PublishedStory } from '../../channels/types.ts'
import { poolOf } from '../../db/pool.ts'
import type { Partner } from '../../payload-types.ts'
import { encode, MIN_COMPRESSED } from './compression.ts'
import { type Answer, answerOf } from './feedAnswer.ts'
import { feedBody, sliceNinjsItems } from './feedBodies.ts'
import type { PartnerFormat } from './formats.ts'
import { type Freshness, lastSeenAt, onContentChange } from './freshness.ts'
import { CANCELED_VISIBLE_MS, type PartnerItem, readPartnerItems } from './readPartnerItems.ts'

/** `?since=` (ms since 1970) and `?limit=`: the items changed after it, at most so many. */
export type Selection = { sinceMs: number; limit: number }

/** A partner's feed as rendered for one format and scope, with the answers made from it. */
export type Feed = {
  /**
   * When time alone changes this feed (ms since 1970): the end of the earliest embargo still
   * running when it was rendered, or the end of a shown withdrawn story's 7 days.
   */
  validUntilMs: number
  items: FeedItem[]
  partner: Partner
  format: PartnerFormat
  siteUrl: string
  now: Date
  /** The latest change of any item (else the time of rendering), to the second. */
  lastModified: Date
  whole: Answer
  /** Settles when the whole feed's gzip is made (or failed: a request compresses it again). */
  compressed: Promise<unknown>
  /** Selections already answered (`since` and `limit`), the latest few. */
  subsets: Map<string, Answer>
}

/** Which feed a request asks for: the partner, the format, the section (if any), for which site and when. */
type FeedScope = {
  payload: Payload
  partner: Partner
  format: PartnerFormat
  sectionId: number | undefined
  siteUrl: string
  now: Date
}

/**
 * The feed for this partner and scope, rendered again only when something it shows changed
 * (or an embargo ended) since it was last rendered; requests that arrive while it renders
 * wait for that one rendering, unless the version before it was still found current by a read
 * of the database no older than the request allows (`oldestRead`, see lastSeenAt): they are
 * answered that version at once, as any answer resting on that read would be. When a read finds
 * the content changed, the feeds asked for in the last RENDER_AHEAD_MS are rendered again at
 * once, one after another, before their next requests come.
 */
export async function cachedFeed(
  request: FeedScope & {
    freshness: Freshness
    /** performance.now() of the oldest read of the database the answer may rest on. */
    oldestRead: number
    /** Rendered ahead of requests (see watchContent), not asked for. */
    isAhead?: boolean
  },
): Promise<Feed> {
  const { payload, partner, format, sectionId, siteUrl, now, freshness, oldestRead, isAhead } = request
  const key = `${partner.id}:${format}:${sectionId ?? ''}:${siteUrl}`
  watchContent(payload)
  const cached = feeds.get(key)
  const isSamePartner = cached?.partnerSaved === partner.updatedAt
  // A version found current recently enough, and not yet changed by time alone, or null.
  const usable = (version: Version | null) =>
    version &&
    lastSeenAt({ payload, content: version.stamp }) >= oldestRead &&
    now.getTime() < version.feed.validUntilMs
      ? version.feed
      : null
  // Rendered ahead for the partner as it was: a save of the partner since is the requests' to render.
  if (isAhead && cached && !isSamePartner) return cached.feed
  if (cached && isSamePartner) {
    if (!isAhead) cached.requestedAt = performance.now()
    // Rendered under the same stamp or after a later read than this request's: current enough.
    if (cached.stamp === freshness.content || cached.readAt >= freshness.readAt) {
      if (cached.ready) {
        if (now.getTime() < cached.ready.validUntilMs) return cached.ready
      } else {
        const previous = usable(cached.previous)
        if (previous) return previous
        const feed = await cached.feed
        if (now.getTime() < feed.validUntilMs) return feed
      }
    }
  }
  const previous =
    cached && isSamePartner
      ? cached.ready
        ? { feed: cached.ready, stamp: cached.stamp }
        : cached.previous
      : null
  const scope: FeedScope = { payload, partner, format, sectionId, siteUrl, now }
  const entry: Entry = {
    stamp: freshness.content,
    readAt: freshness.readAt,
    partnerSaved: partner.updatedAt,
    feed: renderFeed(request),
    ready: null,
    previous,
    scope,
    requestedAt: isAhead ? (cached?.requestedAt ?? 0) : performance.now(),
  }
  if (feeds.size >= MAX_CACHED_FEEDS && !feeds.has(key)) feeds.delete(feeds.keys().next().value as string)
  feeds.set(key, entry)
  entry.feed.then(
    // Ready once its gzip is made too (most partners ask for it): the version before it is let go.
    (feed) =>
      feed.compressed.then(() => {
        entry.ready = feed
        entry.previous = null
      }),
    // A failed rendering is not kept: the next request tries again.
    () => {
      if (feeds.get(key) === entry) feeds.delete(key)
    },
  )
  return usable(previous) ?? entry.feed
}

/** A rendered version of a feed and the content stamp it was rendered under. */
type Version = { feed: Feed; stamp: string }

type Entry = {
  stamp: string
  readAt: number
  partnerSaved: string
  feed: Promise<Feed>
  /** The feed once rendered and compressed. */
  ready: Feed | null
  /** The version answered while this one renders, if it is still found current recently enough. */
  previous: Version | null
  /** What the feed was last asked for with (rendered ahead with it when the content changes). */
  scope: FeedScope
  /** performance.now() of the latest request for this feed. */
  requestedAt: number
}

/** Feeds asked for within this long are rendered ahead when the content changes. */
const RENDER_AHEAD_MS = 60_000
const watched = new WeakSet<Payload>()

/**
 * Renders ahead, on each change of the content, the feeds asked for lately (see cachedFeed):
 * one after another, each feed queued once however many changes come meanwhile, and rendered
 * under the latest read when its turn comes.
 */
function watchContent(payload: Payload): void {
  if (watched.has(payload)) return
  watched.add(payload)
  let queue: Promise<unknown> = Promise.resolve()
  let latest: Freshness | null = null
  const queued = new Set<string>()
  onContentChange({
    payload,
    listener: (freshness) => {
      latest = freshness
      const since = performance.now() - RENDER_AHEAD_MS
      for (const [key, entry] of feeds) {
        if (entry.scope.payload !== payload || entry.requestedAt < since || queued.has(key)) continue
        queued.add(key)
        queue = queue
          .then(() => {
            queued.delete(key)
            const current = feeds.get(key)
            if (!current || !latest || current.stamp === latest.content) return
            return cachedFeed({
              ...current.scope,
              now: new Date(),
              freshness: latest,
              oldestRead: performance.now(),
              isAhead: true,
            })
          })
          .catch(() => undefined)
      }
    },
  })
}

/** The items changed after `since`, newest first, at most `limit` of them. */
export function subsetOf({ feed, selection }: { feed: Feed; selection: Selection }): Answer {
  const key = `${selection.sinceMs}:${selection.limit}`
  const known = feed.subsets.get(key)
  if (known) return known
  const indexes: number[] = []
  let matched = 0
  feed.items.forEach((item, index) => {
    if (item.touchedAtMs <= selection.sinceMs) return
    matched += 1
    if (indexes.length < selection.limit) indexes.push(index)
  })
  const answer = answerFor({ feed, indexes, matched })
  if (feed.subsets.size >= MAX_SUBSETS) feed.subsets.delete(feed.subsets.keys().next().value as string)
  feed.subsets.set(key, answer)
  return answer
}

/** What a cached feed keeps of an item: no more than its answers need. */
type FeedItem = Pick<PartnerItem, 'id' | 'version' | 'changedAt' | 'touchedAtMs' | 'isEmbargoed'> & {
  pubstatus: string
  isCanceled: boolean
  /** The plate, for RSS and JSON Feed (rendered again for a `since`/`limit` selection). */
  story: PublishedStory | null
  /** The item as ninjs JSON: a slice of the whole feed's bytes. */
  json: Buffer | null
}

/** Rendered feeds by partner (as last saved), format and section; each kept while its stamp holds. */
const feeds = new Map<string, Entry>()
const MAX_CACHED_FEEDS = 200
const MAX_SUBSETS = 64

async function renderFeed(scope: FeedScope & { freshness: Freshness }): Promise<Feed> {
  const { payload, partner, format, sectionId, siteUrl, now, freshness } = scope
  // Read before the items: an embargo set in between changes the stamp anyway.
  const { rows } = await poolOf(payload).query(
    'select min(embargo_until) as next_release from stories where embargo_until > $1',
    [now.toISOString()],
  )
  const read = await readPartnerItems({
    payload,
    partner,
    siteUrl,
    now,
    sectionId,
    shownStamp: freshness.shown,
  })
  const nextRelease = rows[0]?.next_release ? new Date(rows[0].next_release as string).getTime() : Number.NaN
  const items: FeedItem[] = read.map((item) => ({
    id: item.id,
    version: item.version,
    changedAt: item.changedAt,
    touchedAtMs: item.touchedAtMs,
    isEmbargoed: item.isEmbargoed,
    pubstatus: item.ninjs.pubstatus,
    isCanceled: !item.story,
    story: format === 'ninjs' ? null : item.story,
    json: format === 'ninjs' ? Buffer.from(JSON.stringify(item.ninjs)) : null,
  }))
  const lastModified = new Date(
    Math.max(0, ...items.map((item) => Date.parse(item.changedAt))) || now.getTime(),
  )
  lastModified.setMilliseconds(0)
  const feed: Feed = {
    validUntilMs: Math.min(
      Number.isNaN(nextRelease) ? Number.POSITIVE_INFINITY : nextRelease,
      // A withdrawn story leaves the feed 7 days on.
      ...items.filter((item) => item.isCanceled).map((item) => item.touchedAtMs + CANCELED_VISIBLE_MS),
    ),
    items,
    partner,
    format,
    siteUrl,
    now,
    lastModified,
    whole: undefined as never,
    compressed: Promise.resolve(),
    subsets: new Map(),
  }
  feed.whole = answerFor({ feed, indexes: items.map((_, index) => index) })
  if (format === 'ninjs') sliceNinjsItems({ body: feed.whole.body, partner, items })
  // Most partners accept gzip: have it ready. A failure is not lost: the first request that
  // asks for gzip compresses again and meets it.
  if (feed.whole.body.length >= MIN_COMPRESSED)
    feed.compressed = encode({ answer: feed.whole, encoding: 'gzip' }).catch(() => {})
  return feed
}

function answerFor({ feed, indexes, matched }: { feed: Feed; indexes: number[]; matched?: number }): Answer {
  const items = indexes.map((index) => feed.items[index] as FeedItem)
  const { format, partner, siteUrl, now, lastModified } = feed
  return answerOf({
    body: feedBody({ format, items, partner, siteUrl, now }),
    format,
    served: items,
    lastModified,
    matched,
  })
}
