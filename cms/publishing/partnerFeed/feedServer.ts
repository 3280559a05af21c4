import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Payload } from 'payload'
import { answerPartnerFeed, type FeedAnswer } from './servePartnerFeed.ts'

const PREFIX = '/feeds/partner/'

/** How old a read of the database a feed server answer may rest on, unless told: see README. */
export const DEFAULT_FEEDS_FRESHNESS_MS = 1000

/**
 * The partner feeds on a plain Node HTTP server of their own (`npm run feeds`, started by
 * `npm start` on FEEDS_PORT): the same answers as the kitchen's `/feeds/partner/` route, with
 * none of Next.js's per-request work. A pull is a key lookup and a stamp check in memory and
 * the write of bytes rendered and compressed once per feed version (see answerPartnerFeed).
 * Answers rest on a read of the database at most `freshnessMs` old: a revoked key is refused,
 * and a change to the stories shows, within that time.
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
  return createServer((incoming, outgoing) => {
    const arrivedAt = performance.now()
    const target = originForm(incoming.url ?? '/')
    const queryAt = target.indexOf('?')
    const path = queryAt < 0 ? target : target.slice(0, queryAt)
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      sendJson({
        outgoing,
        status: 405,
        body: { error: 'method not allowed', reason: 'partner feeds are read with GET' },
      })
      return
    }
    const file = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : ''
    if (!file || file.includes('/')) {
      sendJson({
        outgoing,
        status: 404,
        body: { error: 'not found', reason: 'partner feeds live under /feeds/partner/' },
      })
      return
    }
    let name: string
    try {
      name = decodeURIComponent(file)
    } catch {
      sendJson({
        outgoing,
        status: 400,
        body: { error: 'bad request', reason: 'the feed name is not valid percent-encoding' },
      })
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
        payload.logger.error({ msg: 'the partner feed failed', err })
        if (outgoing.headersSent) {
          outgoing.destroy()
          return
        }
        sendJson({
          outgoing,
          status: 500,
          body: { error: 'server error', reason: 'the feed could not be read; try again' },
        })
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

function sendJson({ outgoing, status, body }: { outgoing: ServerResponse; status: number; body: unknown }) {
  outgoing.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  outgoing.end(JSON.stringify(body))
}
