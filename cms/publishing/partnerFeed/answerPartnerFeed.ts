import type { Payload } from 'payload'
import { type Reason, refusalAnswer } from '../../security/refusal.ts'
import { takeSharedRequest } from '../../security/sharedRateLimit.ts'
import { acceptedEncoding, encode, MIN_COMPRESSED } from './compression.ts'
import { isNotModified } from './feedAnswer.ts'
import { cachedFeed, type Selection, subsetOf } from './feedCache.ts'
import type { FeedAnswer, FeedRequest } from './feedRequest.ts'
import { partnerFeedFiles } from './formats.ts'
import { freshnessFor } from './freshness.ts'
import { keyOf, MAX_KEY_LENGTH, scopeRefusal, sectionScope } from './partnerAccess.ts'
import { partnerForKeyHash } from './partnerKeyCache.ts'
import { hashPartnerKey } from './partnerKeys.ts'
import { logPull } from './pullLog.ts'
import { PARTNER_FEED_LIMIT } from './readPartnerItems.ts'

/**
 * One partner's feed, authenticated by its key (`Authorization: Bearer <key>`, or `?key=` for
 * readers that cannot send headers). Every refusal is a 4xx refusal (see security/refusal.ts);
 * every answer carries ETag and Last-Modified and honours conditional requests.
 * `?since=<time>` keeps the items changed after that time, `?limit=<1–50>` the newest so many.
 *
 * Made for many pulls of few versions: a pull is a key lookup and a stamp check in memory
 * (the stamp read from the database at most `freshnessMs` before the request, one query shared
 * by all requests), then the bytes of the answer as rendered and compressed once for that
 * partner, scope and stamp. A 304 is decided from the cached ETag, with no body work. The steps
 * below are that hot path: keep them free of extra awaits and allocations (see BENCHMARKS).
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
  if (!target)
    return refusalAnswer({
      code: 'not_found',
      reason: {
        en: 'partner feeds are rss.xml, feed.json and ninjs.json',
        zh: '合作方稿源只有 rss.xml、feed.json 和 ninjs.json',
      },
    })
  const key = keyOf(request)
  if (!key)
    return refusalAnswer({
      code: 'unauthorized',
      reason: {
        en: 'no key: send Authorization: Bearer <key> or ?key=',
        zh: '缺少密钥：请发送 Authorization: Bearer <密钥> 或 ?key=',
      },
      headers: { 'WWW-Authenticate': 'Bearer' },
    })
  const selection = selectionOf(request.query)
  if (selection && 'en' in selection) return refusalAnswer({ code: 'bad_request', reason: selection })
  const pending = freshnessFor({ payload, arrivedAt, maxAgeMs: freshnessMs })
  const freshness = pending instanceof Promise ? await pending : pending
  const partner =
    key.length > MAX_KEY_LENGTH
      ? null
      : await partnerForKeyHash({ payload, keyHash: hashPartnerKey(key), partnersStamp: freshness.partners })
  if (!partner)
    return refusalAnswer({
      code: 'unauthorized',
      reason: { en: 'unknown key', zh: '未知密钥' },
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    })
  const outOfScope = scopeRefusal({ partner, format: target.format, now })
  if (outOfScope) return refusalAnswer({ code: 'forbidden', reason: outOfScope })
  const limit = partner.rateLimitPerMinute ?? 60
  // Counted across every feed server and kitchen on the database, from a block held in memory.
  const taken = takeSharedRequest({ payload, key: `partner:${partner.id}`, limit, now: now.getTime() })
  const retryAfter = taken instanceof Promise ? await taken : taken
  if (retryAfter !== null)
    return refusalAnswer({
      code: 'rate_limited',
      reason: { en: `limit is ${limit} a minute`, zh: `每分钟最多 ${limit} 次` },
      headers: { 'Retry-After': String(retryAfter) },
    })
  const sectionSlug = request.query.get('section')
  const scope = sectionSlug
    ? await sectionScope({ payload, partner, slug: sectionSlug, freshness })
    : undefined
  if (scope === 'out of scope')
    return refusalAnswer({
      code: 'forbidden',
      reason: { en: 'this section is not licensed to this partner', zh: '此栏目未授权给该合作方' },
    })
  if (scope === 'unknown')
    return refusalAnswer({
      code: 'not_found',
      reason: { en: 'no section has that slug', zh: '没有栏目使用这个 slug' },
    })

  const feed = await cachedFeed({
    payload,
    partner,
    format: target.format,
    sectionId: scope,
    siteUrl,
    now,
    freshness,
    oldestRead: arrivedAt - freshnessMs,
  })
  const answer = selection ? subsetOf({ feed, selection }) : feed.whole
  const isCached = isNotModified({ request, answer })
  const forwarded = request.header('x-forwarded-for')?.split(',')[0]?.trim()
  logPull({
    payload,
    row: {
      partnerId: partner.id,
      format: target.format,
      status: isCached ? 304 : 200,
      itemCount: answer.itemCount,
      itemsJson: answer.itemsJson,
      ip: forwarded || request.remoteAddress || 'unknown',
      at: now,
    },
  })
  if (isCached) return { status: 304, headers: answer.notModifiedHeaders, body: null }
  const encoding = canCompress && answer.body.length >= MIN_COMPRESSED ? acceptedEncoding(request) : null
  if (!encoding) return { status: 200, headers: answer.headers, body: answer.body }
  const encoded = answer.encoded[encoding]
  const ready = encoded ?? (await encode({ answer, encoding }))
  return { status: 200, headers: ready.headers, body: ready.body }
}

/** `?since=` and `?limit=` (null: neither), or why they are refused. */
function selectionOf(query: URLSearchParams): Selection | null | Reason {
  const since = query.get('since')
  const limitText = query.get('limit')
  if (since === null && limitText === null) return null
  const sinceMs = since === null ? Number.NEGATIVE_INFINITY : Date.parse(since)
  if (Number.isNaN(sinceMs))
    return {
      en: 'since must be a date and time, such as 2026-11-24T08:00:00Z',
      zh: 'since 必须是日期和时间，例如 2026-11-24T08:00:00Z',
    }
  const limit = limitText === null ? PARTNER_FEED_LIMIT : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > PARTNER_FEED_LIMIT)
    return {
      en: `limit must be a whole number from 1 to ${PARTNER_FEED_LIMIT}`,
      zh: `limit 必须是 1 到 ${PARTNER_FEED_LIMIT} 的整数`,
    }
  return { sinceMs, limit }
}
