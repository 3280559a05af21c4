import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Payload } from 'payload'
import { isDatabaseUnavailable } from '../../db/unavailable.ts'
import { databaseUnavailable, refusalAnswer } from '../../security/refusal.ts'
import { answerPartnerFeed } from './answerPartnerFeed.ts'
import type { FeedAnswer } from './feedRequest.ts'

const PREFIX = '/feeds/partner/'

/** How old a read of the database a feed server answer may rest on, unless told: see README. */
export const DEFAULT_FEEDS_FRESHNESS_MS = 1000

/** While the database does not answer: logged at most this often, not per request. */
const OUTAGE_LOG_EVERY_MS = 10_000

// The server's own refusals: the same bytes for every request, made once.
const notGet = refusalAnswer({
  code: 'method_not_allowed',
  reason: { en: 'partner feeds are read with GET', zh: '合作方稿源只能用 GET 读取' },
})
const notAFeed = refusalAnswer({
  code: 'not_found',
  reason: { en: 'partner feeds live under /feeds/partner/', zh: '合作方稿源位于 /feeds/partner/ 之下' },
})
const badFeedName = refusalAnswer({
  code: 'bad_request',
  reason: { en: 'the feed name is not valid percent-encoding', zh: '稿源名称的百分号编码无效' },
})
const readFailed = refusalAnswer({
  code: 'server_error',
  reason: { en: 'the feed could not be read; try again', zh: '稿源读取失败，请重试' },
})

/**
 * The partner feeds on a plain Node HTTP server of their own (`npm run feeds`, started by
 * `npm start` on FEEDS_PORT): the same answers as the kitchen's `/feeds/partner/` route, with
 * none of Next.js's per-request work. A pull is a key lookup and a stamp check in memory and
 * the write of bytes rendered and compressed once per feed version (see answerPartnerFeed).
 * Answers rest on a read of the database at most `freshnessMs` old: a revoked key is refused,
 * and a change to the stories shows, within that time. When the database does not answer,
 * a request that needs it gets a 503 with Retry-After at once (no read waits longer than
 * freshnessFor allows): answers from memory go on only within `freshnessMs` of the last read,
 * so a key revoked before an outage is not served past that window either.
 */
export function createPartnerFeedServer({
  payload,
  siteUrl,
  freshnessMs = DEFAULT_FEEDS_FRESHNESS_MS,
}: {
  payload: Payload
  siteUrl: string
  freshnessMs?: number
}): Server {
  const unavailable = refusalAnswer(databaseUnavailable)
  let outageLoggedAt = Number.NEGATIVE_INFINITY
  return createServer((incoming, outgoing) => {
    const arrivedAt = performance.now()
    const target = originForm(incoming.url ?? '/')
    const queryAt = target.indexOf('?')
    const path = queryAt < 0 ? target : target.slice(0, queryAt)
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      send({ incoming, outgoing, answer: notGet })
      return
    }
    const file = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : ''
    if (!file || file.includes('/')) {
      send({ incoming, outgoing, answer: notAFeed })
      return
    }
    let name: string
    try {
      name = decodeURIComponent(file)
    } catch {
      send({ incoming, outgoing, answer: badFeedName })
      return
    }
    const headers = incoming.headers
    answerPartnerFeed({
      payload,
      request: {
        file: name,
        query: new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1)),
        header: (header) => {
          const value = headers[header]
          return Array.isArray(value) ? value.join(', ') : value
        },
        remoteAddress: incoming.socket.remoteAddress,
      },
      siteUrl,
      arrivedAt,
      freshnessMs,
      canCompress: true,
    })
      .then((answer) => send({ incoming, outgoing, answer }))
      .catch((err: unknown) => {
        if (outgoing.headersSent) {
          payload.logger.error({ msg: 'the partner feed failed', err })
          outgoing.destroy()
          return
        }
        if (isDatabaseUnavailable(err)) {
          if (arrivedAt - outageLoggedAt >= OUTAGE_LOG_EVERY_MS) {
            outageLoggedAt = arrivedAt
            payload.logger.warn({
              msg: `the partner feed server cannot reach the database (${(err as Error).message}): answering 503`,
            })
          }
          send({ incoming, outgoing, answer: unavailable })
          return
        }
        payload.logger.error({ msg: 'the partner feed failed', err })
        send({ incoming, outgoing, answer: readFailed })
      })
  })
}

/** The path and query of a request target (`http://host/path?query` from a proxy too). */
function originForm(target: string): string {
  if (target.startsWith('/')) return target
  const url = URL.parse(target)
  return url ? `${url.pathname}${url.search}` : '/'
}

function send({
  incoming,
  outgoing,
  answer,
}: {
  incoming: IncomingMessage
  outgoing: ServerResponse
  answer: FeedAnswer
}): void {
  outgoing.writeHead(answer.status, answer.headers)
  // The bytes are shared by every pull of this feed version: written as they are, never copied.
  outgoing.end(incoming.method === 'HEAD' || !answer.body ? undefined : answer.body)
}
