import { createHash } from 'node:crypto'
import type { FeedRequest } from './feedRequest.ts'
import { feedFileOf, type PartnerFormat, partnerFeedFiles } from './formats.ts'

/** A body compressed once, with its headers. */
export type Encoded = { body: Buffer; headers: Readonly<Record<string, string>> }

/**
 * One body as served (the whole feed, or a `since`/`limit` selection of it), with its ETag and
 * headers made once: every pull of this feed version sends them as they are.
 */
export type Answer = {
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

/** The answer for a body of these items; `matched`: how many a `limit` chose from. */
export function answerOf({
  body,
  format,
  served,
  lastModified,
  matched,
}: {
  body: Buffer
  format: PartnerFormat
  served: readonly { id: number; version: number; pubstatus: string }[]
  lastModified: Date
  matched?: number
}): Answer {
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
    itemCount: served.length,
    itemsJson: JSON.stringify(
      served.map((item) => ({ id: item.id, version: item.version, pubstatus: item.pubstatus })),
    ),
    notModifiedHeaders,
    headers: {
      ...notModifiedHeaders,
      'Content-Type': partnerFeedFiles[feedFileOf(format)]?.type ?? 'application/octet-stream',
      'Content-Length': String(body.length),
    },
    encoded: {},
    encoding: {},
  }
}

/** Whether the client already holds this answer (If-None-Match, else If-Modified-Since): a 304. */
export function isNotModified({ request, answer }: { request: FeedRequest; answer: Answer }): boolean {
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
