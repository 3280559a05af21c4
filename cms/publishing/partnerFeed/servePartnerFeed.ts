import { createHash } from 'node:crypto'
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib'
import type { Payload } from 'payload'
import { buildJsonFeed } from '../../channels/feeds/jsonFeed.ts'
import { buildRss } from '../../channels/feeds/rss.ts'
import { house } from '../../channels/house.ts'
import type { PartnerFormat } from '../../collections/Partners/index.ts'
import { collectionSlugs } from '../../collections/slugs.ts'
import type { Partner } from '../../payload-types.ts'
import { hashPartnerKey } from '../partnerKeys.ts'
import { logPull, partnerForKeyHash } from './fastPath.ts'
import { takeRequest } from './rateLimit.ts'
import { type PartnerItem, readPartnerItems } from './readPartnerItems.ts'

export const partnerFeedFiles: Record<string, { format: PartnerFormat; type: string }> = {
  'rss.xml': { format: 'rss', type: 'application/rss+xml; charset=utf-8' },
  'feed.json': { format: 'json', type: 'application/feed+json; charset=utf-8' },
  'ninjs.json': { format: 'ninjs', type: 'application/json; charset=utf-8' },
}

const refuse = (status: number, error: string, reason: string, headers: Record<string, string> = {}) =>
  Response.json(
    { error, reason },
    { status, headers: { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers } },
  )

/**
 * `GET /feeds/partner/<rss.xml|feed.json|ninjs.json>`: one partner's feed, authenticated by
 * its key (`Authorization: Bearer <key>`, or `?key=` for readers that cannot send headers).
 * Every refusal is a 4xx with `{ error, reason }`; every answer carries ETag and
 * Last-Modified and honours conditional requests.
 */
export async function servePartnerFeed({
  payload,
  request,
  file,
  siteUrl,
  now = new Date(),
  canCompress = false,
}: {
  payload: Payload
  request: Request
  file: string
  siteUrl: string
  now?: Date
  /**
   * Answer brotli or gzip when the client accepts it, compressed once per feed version.
   * Off behind Next.js, which compresses by itself and drops a handler's Content-Encoding.
   */
  canCompress?: boolean
}): Promise<Response> {
  const target = partnerFeedFiles[file]
  if (!target) return refuse(404, 'not found', 'partner feeds are rss.xml, feed.json and ninjs.json')
  const url = new URL(request.url)
  const key = keyOf({ request, url })
  if (!key)
    return refuse(401, 'unauthorized', 'no key: send Authorization: Bearer <key> or ?key=', {
      'WWW-Authenticate': 'Bearer',
    })
  const found =
    key.length > 200 ? null : await partnerForKeyHash({ payload, keyHash: hashPartnerKey(key), now })
  if (!found)
    return refuse(401, 'unauthorized', 'unknown key', { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
  const { partner, stamp } = found
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

  const scope = await sectionScope({ payload, partner, slug: url.searchParams.get('section') })
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
    stamp,
  })
  const headers: Record<string, string> = {
    ETag: feed.etag,
    'Last-Modified': feed.lastModified.toUTCString(),
    'Cache-Control': 'private, max-age=60',
    Vary: 'Authorization, Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
  }
  const isNotModified = isFresh({ request, etag: feed.etag, lastModified: feed.lastModified })
  const forwarded = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim()
  logPull({
    payload,
    row: {
      partnerId: partner.id,
      format: target.format,
      status: isNotModified ? 304 : 200,
      items: feed.served,
      ip: forwarded || request.headers.get('x-real-ip') || 'unknown',
      at: now,
    },
  })

  if (isNotModified) return new Response(null, { status: 304, headers })
  const contentHeaders = { ...headers, 'Content-Type': target.type }
  const encoding = canCompress ? acceptedEncoding(request) : null
  if (!encoding) return new Response(new Uint8Array(feed.body), { headers: contentHeaders })
  return new Response(new Uint8Array(compressedBody({ feed, encoding })), {
    headers: { ...contentHeaders, 'Content-Encoding': encoding },
  })
}

type Feed = {
  stamp: string
  /** Encoded once: a feed is served many times between changes. */
  body: Buffer
  etag: string
  lastModified: Date
  served: { id: number; version: number; pubstatus: string }[]
  compressed: Partial<Record<'br' | 'gzip', Buffer>>
}

function acceptedEncoding(request: Request): 'br' | 'gzip' | null {
  const accepted = request.headers.get('accept-encoding') ?? ''
  if (/\bbr\b/.test(accepted)) return 'br'
  return /\bgzip\b/.test(accepted) ? 'gzip' : null
}

function compressedBody({ feed, encoding }: { feed: Feed; encoding: 'br' | 'gzip' }): Buffer {
  const made =
    feed.compressed[encoding] ??
    (encoding === 'br'
      ? brotliCompressSync(feed.body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 6 } })
      : gzipSync(feed.body))
  feed.compressed[encoding] = made
  return made
}

/** Rendered feeds by partner (as last saved), format and section; kept while the content stamp holds. */
const feeds = new Map<string, Feed>()
const MAX_CACHED_FEEDS = 500

/**
 * The feed for this partner and scope, rendered again only when the stories changed (or an
 * embargo ended) since it was last rendered: most pulls then cost two indexed queries.
 */
async function cachedFeed({
  payload,
  partner,
  format,
  sectionId,
  siteUrl,
  now,
  stamp,
}: {
  payload: Payload
  partner: Partner
  format: PartnerFormat
  sectionId: number | undefined
  siteUrl: string
  now: Date
  stamp: string
}): Promise<Feed> {
  const key = `${partner.id}:${partner.updatedAt}:${format}:${sectionId ?? ''}:${siteUrl}`
  const cached = feeds.get(key)
  if (cached?.stamp === stamp) return cached
  const items = await readPartnerItems({ payload, partner, siteUrl, now, sectionId })
  const body = Buffer.from(render({ format, items, partner, siteUrl, now }))
  const lastModified = new Date(
    Math.max(0, ...items.map((item) => Date.parse(item.changedAt))) || now.getTime(),
  )
  lastModified.setMilliseconds(0)
  const feed: Feed = {
    stamp,
    body,
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    lastModified,
    served: items.map((item) => ({ id: item.id, version: item.version, pubstatus: item.ninjs.pubstatus })),
    compressed: {},
  }
  if (feeds.size >= MAX_CACHED_FEEDS) feeds.delete(feeds.keys().next().value as string)
  feeds.set(key, feed)
  return feed
}

function keyOf({ request, url }: { request: Request; url: URL }): string | null {
  const header = request.headers.get('authorization')
  const fromHeader = header?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1]
  return fromHeader ?? url.searchParams.get('key') ?? null
}

/** `?section=<slug>` narrows a feed to one of the partner's sections. */
async function sectionScope({
  payload,
  partner,
  slug,
}: {
  payload: Payload
  partner: Partner
  slug: string | null
}): Promise<number | undefined | 'unknown' | 'out of scope'> {
  if (!slug) return undefined
  const { docs } = await payload.find({
    collection: collectionSlugs.sections,
    where: { slug: { equals: slug } },
    limit: 1,
    depth: 0,
    overrideAccess: true,
  })
  const section = docs[0]
  if (!section) return 'unknown'
  const allowed = (partner.allowedSections ?? []).map((s) => (typeof s === 'object' ? s.id : s))
  return allowed.length === 0 || allowed.includes(section.id) ? section.id : 'out of scope'
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
  format: PartnerFormat
  items: PartnerItem[]
  partner: Partner
  siteUrl: string
  now: Date
}): string {
  const channel = {
    title: `${house.name}（${partner.name}专供）`,
    description: house.description,
    siteUrl,
    homePath: '/',
    feedPath: `/feeds/partner/${format === 'rss' ? 'rss.xml' : format === 'json' ? 'feed.json' : 'ninjs.json'}`,
  }
  // RSS and JSON Feed have no way to flag an embargo: they carry released stories only.
  const released = items.flatMap((item) => (item.story && !item.isEmbargoed ? [item.story] : []))
  if (format === 'rss') return buildRss({ stories: released, channel, now })
  if (format === 'json') return buildJsonFeed({ stories: released, channel })
  return `${JSON.stringify({ partner: partner.name, items: items.map((item) => item.ninjs) }, null, 2)}\n`
}

function isFresh({
  request,
  etag,
  lastModified,
}: {
  request: Request
  etag: string
  lastModified: Date
}): boolean {
  const ifNoneMatch = request.headers.get('if-none-match')
  if (ifNoneMatch)
    return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')
  const ifModifiedSince = Date.parse(request.headers.get('if-modified-since') ?? '')
  return Number.isFinite(ifModifiedSince) && lastModified.getTime() <= ifModifiedSince
}
