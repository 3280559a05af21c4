import type { Payload } from 'payload'
import { isDatabaseUnavailable } from '../../db/unavailable.ts'
import { databaseUnavailable, refusalResponse } from '../../security/refusal.ts'
import { answerPartnerFeed } from './answerPartnerFeed.ts'
import type { FeedAnswer } from './feedRequest.ts'

/**
 * `GET /feeds/partner/<rss.xml|feed.json|ninjs.json>` through Next.js (the kitchen's route):
 * see answerPartnerFeed. Every answer reflects the database as read after the request
 * arrived. Compression is left to Next.js, which drops a handler's Content-Encoding. A
 * database that does not answer is a 503 with Retry-After.
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
  let answer: FeedAnswer
  try {
    answer = await answerPartnerFeed({
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
  } catch (err) {
    if (isDatabaseUnavailable(err)) return refusalResponse(databaseUnavailable)
    throw err
  }
  // Next.js sets the length itself, after compressing.
  const { 'Content-Length': _length, ...headers } = answer.headers
  return new Response(answer.body ? new Uint8Array(answer.body) : null, { status: answer.status, headers })
}
