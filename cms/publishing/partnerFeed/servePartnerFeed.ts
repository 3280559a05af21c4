import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib'
import type { Payload } from 'payload'
import { buildJsonFeed } from '../../channels/feeds/jsonFeed.ts'
import { buildRss } from '../../channels/feeds/rss.ts'
import { house } from '../../channels/house.ts'
import type { PublishedStory } from '../../channels/types.ts'
import { poolOf } from '../../db/pool.ts'
import type { Partner } from '../../payload-types.ts'
import { takeRequest } from '../../security/rateLimit.ts'
import { collectionSlugs } from '../../slugs.ts'
import { hashPartnerKey } from '../partnerKeys.ts'
import { logPull, partnerForKeyHash } from './fastPath.ts'
import type { PartnerFormat } from './formats.ts'
import { type Freshness, freshnessFor } from './freshness.ts'
import {
  CANCELED_VISIBLE_MS,
  PARTNER_FEED_LIMIT,
  type PartnerItem,
  readPartnerItems,
} from './readPartnerItems.ts'

export const partnerFeedFiles: Record<string, { format: PartnerFormat; type: string }> = {
  'rss.xml': { format: 'rss', type: 'application/rss+xml; charset=utf-8' },
  'feed.json': { format: 'json', type: 'application/feed+json; charset=utf-8' },
  'ninjs.json': { format: 'ninjs', type: 'application/json; charset=utf-8' },
}

/** A partner feed request, from Next.js or from the feed server's plain Node HTTP. */
export type FeedRequest = {
  file: string
  query: URLSearchParams
  /** A request header by its lower-case name. */
  header: (name: string) => string | undefined
  /** The client's address as the connection gives it (X-Forwarded-For, when set, wins). */
  remoteAddress: string | undefined
}

/** An answer: headers are shared between answers and must not be changed. */
export type FeedAnswer = { status: number; headers: Readonly<Record<string, string>>; body: Buffer | null }

const refuse = (
  status: number,
  error: string,
  reason: string,
  headers: Record<string, string> = {},
): FeedAnswer => {
  const body = Buffer.from(JSON.stringify({ error, reason }))
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(body.length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    },
    body,
  }
}

/**
 * `GET /feeds/partner/<rss.xml|feed.json|ninjs.json>` through Next.js (the kitchen's route):
 * see answerPartnerFeed. Every answer reflects the database as read after the request
 * arrived. Compression is left to Next.js, which drops a handler's Content-Encoding.
 */
export async function servePartnerFeed({
  payload,
  request,
  file,
  siteUrl,
  now = new Date(),
}: {
  payload: Payload
  request: Request
  file: string
  siteUrl: string
  now?: Date
}): Promise<Response> {
  const url = new URL(request.url)
  const answer = await answerPartnerFeed({
    payload,
    request: {
      file,
      query: url.searchParams,
      header: (name) => request.headers.get(name) ?? undefined,
      remoteAddress: request.headers.get('x-real-ip') ?? undefined,
    },
    siteUrl,
    now,
    freshnessMs: 0,
    canCompress: false,
  })
  // Next.js sets the length itself, after compressing.
  const { 'Content-Length': _length, ...headers } = answer.headers
  return new Response(answer.body ? new Uint8Array(answer.body) : null, { status: answer.status, headers })
}

/**
 * One partner's feed, authenticated by its key (`Authorization: Bearer <key>`, or `?key=` for
 * readers that cannot send headers). Every refusal is a 4xx with `{ error, reason }`; every
 * answer carries ETag and Last-Modified and honours conditional requests. `?since=<time>`
 * keeps the items changed after that time, `?limit=<1–50>` the newest so many.
 *
 * Made for many pulls of few versions: a pull is a key lookup and a stamp check in memory
 * (the stamp read from the database at most `freshnessMs` before the request, one query shared
 * by all requests), then the bytes of the answer as rendered and compressed once for that
 * partner, scope and stamp. A 304 is decided from the cached ETag, with no body work.
 */
export async function answerPartnerFeed({
  payload,
  request,
  siteUrl,
  now = new Date(),
  arrivedAt = performance.now(),
  freshnessMs,
  canCompress,
}: {
  payload: Payload
  request: FeedRequest
  siteUrl: string
  now?: Date
  /** performance.now() when the request arrived. */
  arrivedAt?: number
  /** How old a read of the database an answer may rest on (0: read after the request came). */
  freshnessMs: number
  /** Answer brotli or gzip when the client accepts it, compressed once per answer. */
  canCompress: boolean
}): Promise<FeedAnswer> {
  const target = Object.hasOwn(partnerFeedFiles, request.file) ? partnerFeedFiles[request.file] : undefined
  if (!target) return refuse(404, 'not found', 'partner feeds are rss.xml, feed.json and ninjs.json')
  const key = keyOf(request)
  if (!key)
    return refuse(401, 'unauthorized', 'no key: send Authorization: Bearer <key> or ?key=', {
      'WWW-Authenticate': 'Bearer',
    })
  const selection = selectionOf(request.query)
  if (typeof selection === 'string') return refuse(400, 'bad request', selection)
  const pending = freshnessFor({ payload, arrivedAt, maxAgeMs: freshnessMs })
  const freshness = pending instanceof Promise ? await pending : pending
  const partner =
    key.length > 200
      ? null
      : await partnerForKeyHash({ payload, keyHash: hashPartnerKey(key), partnersStamp: freshness.partners })
  if (!partner)
    return refuse(401, 'unauthorized', 'unknown key', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
  const refusal = checkScope({ partner, format: target.format, now })
  if (refusal) return refuse(403, 'forbidden', refusal)
  const retryAfter = takeRequest({
    key: String(partner.id),
    limit: partner.rateLimitPerMinute ?? 60,
    now: now.getTime(),
  })
  if (retryAfter !== null) {
    return refuse(429, 'too many requests', `limit is ${partner.rateLimitPerMinute} a minute`, {
      'Retry-After': String(retryAfter),
    })
  }
  const sectionSlug = request.query.get('section')
  const scope = sectionSlug
    ? await sectionScope({ payload, partner, slug: sectionSlug, freshness })
    : undefined
  if (scope === 'out of scope')
    return refuse(403, 'forbidden', 'this section is not licensed to this partner')
  if (scope === 'unknown') return refuse(404, 'not found', 'no section has that slug')

  const feed = await cachedFeed({
    payload,
    partner,
    format: target.format,
    sectionId: scope,
    siteUrl,
    now,
    freshness,
  })
  const answer = selection ? subsetOf({ feed, selection }) : feed.whole
  const isNotModified = isFresh({ request, answer })
  const forwarded = request.header('x-forwarded-for')?.split(',')[0]?.trim()
  logPull({
    payload,
    row: {
      partnerId: partner.id,
      format: target.format,
      status: isNotModified ? 304 : 200,
      itemCount: answer.itemCount,
      itemsJson: answer.itemsJson,
      ip: forwarded || request.remoteAddress || 'unknown',
      at: now,
    },
  })
  if (isNotModified) return { status: 304, headers: answer.notModifiedHeaders, body: null }
  const encoding = canCompress && answer.body.length >= MIN_COMPRESSED ? acceptedEncoding(request) : null
  if (!encoding) return { status: 200, headers: answer.headers, body: answer.body }
  const encoded = answer.encoded[encoding]
  const ready = encoded ?? (await encode({ answer, encoding }))
  return { status: 200, headers: ready.headers, body: ready.body }
}

/** Smaller bodies are sent as they are: compressing them saves next to nothing. */
const MIN_COMPRESSED = 1024

type Selection = { sinceMs: number; limit: number } | null

/** `?since=` and `?limit=`, or a reason to refuse them. */
function selectionOf(query: URLSearchParams): Selection | string {
  const since = query.get('since')
  const limitText = query.get('limit')
  if (since === null && limitText === null) return null
  const sinceMs = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since)
  if (Number.isNaN(sinceMs)) return 'since must be a date and time, such as 2026-11-24T08:00:00Z'
  const limit = limitText === null ? PARTNER_FEED_LIMIT : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > PARTNER_FEED_LIMIT)
    return `limit must be a whole number from 1 to ${PARTNER_FEED_LIMIT}`
  return { sinceMs, limit }
}

type Encoded = { body: Buffer; headers: Readonly<Record<string, string>> }

/** One body as served (the whole feed, or a `since`/`limit` selection of it), with its headers. */
type Answer = {
  body: Buffer
  etag: string
  lastModified: Date
  itemCount: number
  /** `[{ id, version, pubstatus }]` of the items served, for the pull log. */
  itemsJson: string
  headers: Readonly<Record<string, string>>
  notModifiedHeaders: Readonly<Record<string, string>>
  encoded: Partial<Record<'br' | 'gzip', Encoded>>
  encoding: Partial<Record<'br' | 'gzip', Promise<Encoded>>>
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

type Feed = {
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
  whole: Answer
  /** Selections already answered (`since` and `limit`), the latest few. */
  subsets: Map<string, Answer>
}

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)

/**
 * The answer compressed, once: in zlib's thread pool, so the event loop keeps serving. gzip
 * at level 9 and brotli at quality 9 cost a few tens of milliseconds per feed version.
 */
function encode({ answer, encoding }: { answer: Answer; encoding: 'br' | 'gzip' }): Promise<Encoded> {
  const running = answer.encoding[encoding]
  if (running) return running
  const compressed =
    encoding === 'br'
      ? brotliAsync(answer.body, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: answer.body.length,
          },
        })
      : gzipAsync(answer.body, { level: 9 })
  const promise = compressed.then(
    (body) => {
      const encoded = {
        body,
        headers: { ...answer.headers, 'Content-Encoding': encoding, 'Content-Length': String(body.length) },
      }
      answer.encoded[encoding] = encoded
      return encoded
    },
    (err: unknown) => {
      // Not kept: the next request tries again.
      delete answer.encoding[encoding]
      throw err
    },
  )
  answer.encoding[encoding] = promise
  return promise
}

function acceptedEncoding(request: FeedRequest): 'br' | 'gzip' | null {
  const accepted = request.header('accept-encoding') ?? ''
  if (/\bbr\b/.test(accepted)) return 'br'
  return /\bgzip\b/.test(accepted) ? 'gzip' : null
}

/** Rendered feeds by partner (as last saved), format and section; each kept while its stamp holds. */
const feeds = new Map<string, { stamp: string; readAt: number; partnerSaved: string; feed: Promise<Feed> }>()
const MAX_CACHED_FEEDS = 200
const MAX_SUBSETS = 64

/**
 * The feed for this partner and scope, rendered again only when something it shows changed
 * (or an embargo ended) since it was last rendered; requests that arrive while it renders
 * wait for that one rendering.
 */
async function cachedFeed({
  payload,
  partner,
  format,
  sectionId,
  siteUrl,
  now,
  freshness,
}: {
  payload: Payload
  partner: Partner
  format: PartnerFormat
  sectionId: number | undefined
  siteUrl: string
  now: Date
  freshness: Freshness
}): Promise<Feed> {
  const key = `${partner.id}:${format}:${sectionId ?? ''}:${siteUrl}`
  const cached = feeds.get(key)
  // For the partner as now saved, rendered under the same stamp or after a later read than
  // this request's: current enough.
  if (
    cached?.partnerSaved === partner.updatedAt &&
    (cached.stamp === freshness.content || cached.readAt >= freshness.readAt)
  ) {
    const feed = await cached.feed
    if (now.getTime() < feed.validUntilMs) return feed
  }
  const feed = renderFeed({ payload, partner, format, sectionId, siteUrl, now })
  if (feeds.size >= MAX_CACHED_FEEDS && !feeds.has(key)) feeds.delete(feeds.keys().next().value as string)
  feeds.set(key, {
    stamp: freshness.content,
    readAt: freshness.readAt,
    partnerSaved: partner.updatedAt,
    feed,
  })
  // A failed rendering is not kept: the next request tries again.
  feed.catch(() => {
    if (feeds.get(key)?.feed === feed) feeds.delete(key)
  })
  return feed
}

async function renderFeed({
  payload,
  partner,
  format,
  sectionId,
  siteUrl,
  now,
}: {
  payload: Payload
  partner: Partner
  format: PartnerFormat
  sectionId: number | undefined
  siteUrl: string
  now: Date
}): Promise<Feed> {
  // Read before the items: an embargo set in between changes the stamp anyway.
  const { rows } = await poolOf(payload).query(
    'select min(embargo_until) as next_release from stories where embargo_until > $1',
    [now.toISOString()],
  )
  const read = await readPartnerItems({ payload, partner, siteUrl, now, sectionId })
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
    whole: undefined as never,
    subsets: new Map(),
  }
  feed.whole = answerOf({ feed, indexes: items.map((_, index) => index) })
  if (format === 'ninjs') {
    // Each item's JSON kept once: as a slice of the whole feed's bytes.
    let offset = ninjsHead(partner).length
    for (const item of items) {
      const length = (item.json as Buffer).length
      item.json = feed.whole.body.subarray(offset, offset + length)
      offset += length + COMMA.length
    }
  }
  // Most partners accept gzip: have it ready.
  if (feed.whole.body.length >= MIN_COMPRESSED)
    void encode({ answer: feed.whole, encoding: 'gzip' }).catch(() => {})
  return feed
}

/** The items changed after `since`, newest first, at most `limit` of them. */
function subsetOf({
  feed,
  selection,
}: {
  feed: Feed
  selection: { sinceMs: number; limit: number }
}): Answer {
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
  const answer = answerOf({ feed, indexes, matched })
  if (feed.subsets.size >= MAX_SUBSETS) feed.subsets.delete(feed.subsets.keys().next().value as string)
  feed.subsets.set(key, answer)
  return answer
}

function answerOf({ feed, indexes, matched }: { feed: Feed; indexes: number[]; matched?: number }): Answer {
  const items = indexes.map((index) => feed.items[index] as FeedItem)
  const body =
    feed.format === 'ninjs'
      ? ninjsBody({ partner: feed.partner, items })
      : Buffer.from(
          render({ format: feed.format, items, partner: feed.partner, siteUrl: feed.siteUrl, now: feed.now }),
        )
  const lastModified = new Date(
    Math.max(0, ...feed.items.map((item) => Date.parse(item.changedAt))) || feed.now.getTime(),
  )
  lastModified.setMilliseconds(0)
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`
  const notModifiedHeaders: Record<string, string> = {
    ETag: etag,
    'Last-Modified': lastModified.toUTCString(),
    'Cache-Control': 'private, max-age=60',
    Vary: 'Authorization, Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    // With `limit`: how many items matched in all, so a partner knows when it got only some.
    ...(matched !== undefined ? { 'Hongyan-Items-Matched': String(matched) } : {}),
  }
  return {
    body,
    etag,
    lastModified,
    itemCount: items.length,
    itemsJson: JSON.stringify(
      items.map((item) => ({ id: item.id, version: item.version, pubstatus: item.pubstatus })),
    ),
    notModifiedHeaders,
    headers: {
      ...notModifiedHeaders,
      'Content-Type': partnerFeedFiles[fileOf(feed.format)]?.type ?? 'application/octet-stream',
      'Content-Length': String(body.length),
    },
    encoded: {},
    encoding: {},
  }
}

/** `{ partner, items }`, each item's JSON copied in as it is. */
function ninjsBody({ partner, items }: { partner: Partner; items: FeedItem[] }): Buffer {
  const parts: Buffer[] = [ninjsHead(partner)]
  items.forEach((item, index) => {
    if (index > 0) parts.push(COMMA)
    parts.push(item.json as Buffer)
  })
  parts.push(CLOSE)
  return Buffer.concat(parts)
}

const ninjsHead = (partner: Partner) => Buffer.from(`{"partner":${JSON.stringify(partner.name)},"items":[`)
const COMMA = Buffer.from(',')
const CLOSE = Buffer.from(']}\n')

const fileOf = (format: PartnerFormat) =>
  format === 'rss' ? 'rss.xml' : format === 'json' ? 'feed.json' : 'ninjs.json'

function keyOf(request: FeedRequest): string | null {
  const header = request.header('authorization')
  const fromHeader = header?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1]
  return fromHeader ?? request.query.get('key') ?? null
}

/** Section ids by slug (null: no such section), as of a content stamp (sections are part of it). */
const sectionsBySlug = new Map<string, { stamp: string; id: number | null }>()

/** `?section=<slug>` narrows a feed to one of the partner's sections. */
async function sectionScope({
  payload,
  partner,
  slug,
  freshness,
}: {
  payload: Payload
  partner: Partner
  slug: string
  freshness: Freshness
}): Promise<number | 'unknown' | 'out of scope'> {
  let known = sectionsBySlug.get(slug)
  if (known?.stamp !== freshness.content) {
    const { docs } = await payload.find({
      collection: collectionSlugs.sections,
      where: { slug: { equals: slug } },
      limit: 1,
      depth: 0,
      overrideAccess: true,
    })
    known = { stamp: freshness.content, id: docs[0]?.id ?? null }
    if (sectionsBySlug.size >= 1_000) sectionsBySlug.clear()
    sectionsBySlug.set(slug, known)
  }
  if (known.id === null) return 'unknown'
  const allowed = (partner.allowedSections ?? []).map((s) => (typeof s === 'object' ? s.id : s))
  return allowed.length === 0 || allowed.includes(known.id) ? known.id : 'out of scope'
}

function checkScope({
  partner,
  format,
  now,
}: {
  partner: Partner
  format: PartnerFormat
  now: Date
}): string | null {
  if (partner.keyRevokedAt) return 'this key was revoked'
  if (!partner.active) return 'this partner is not active'
  if (partner.expiresAt && new Date(partner.expiresAt) <= now) return 'this partner agreement has expired'
  if (!(partner.allowedFormats ?? []).includes(format))
    return `the ${format} format is not licensed to this partner`
  return null
}

function render({
  format,
  items,
  partner,
  siteUrl,
  now,
}: {
  format: 'rss' | 'json'
  items: FeedItem[]
  partner: Partner
  siteUrl: string
  now: Date
}): string {
  const channel = {
    title: `${house.name}（${partner.name}专供）`,
    description: house.description,
    siteUrl,
    homePath: '/',
    feedPath: `/feeds/partner/${fileOf(format)}`,
  }
  // RSS and JSON Feed have no way to flag an embargo: they carry released stories only.
  const released = items.flatMap((item) => (item.story && !item.isEmbargoed ? [item.story] : []))
  if (format === 'rss') return buildRss({ stories: released, channel, now })
  return buildJsonFeed({ stories: released, channel })
}

function isFresh({ request, answer }: { request: FeedRequest; answer: Answer }): boolean {
  const ifNoneMatch = request.header('if-none-match')
  if (ifNoneMatch) {
    if (ifNoneMatch === answer.etag) return true
    return ifNoneMatch
      .split(',')
      .some((tag) => tag.trim().replace(/^W\//, '') === answer.etag || tag.trim() === '*')
  }
  const ifModifiedSince = Date.parse(request.header('if-modified-since') ?? '')
  return Number.isFinite(ifModifiedSince) && answer.lastModified.getTime() <= ifModifiedSince
}
