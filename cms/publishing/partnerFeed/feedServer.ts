import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Payload } from 'payload'
import { servePartnerFeed } from './servePartnerFeed.ts'

const PATH = /^\/feeds\/partner\/([^/?]+)$/

/**
 * The partner feeds on a plain Node HTTP server of their own (`npm run feeds`, started by
 * `npm start` on FEEDS_PORT): the same answers as the kitchen's `/feeds/partner/` route, with
 * none of Next.js's per-request work, and bodies compressed once per feed version.
 */
export function createPartnerFeedServer({ payload, siteUrl }: { payload: Payload; siteUrl: string }): Server {
  return createServer((incoming, outgoing) => {
    const file = URL.parse(incoming.url ?? '/', 'http://feeds.local')?.pathname.match(PATH)?.[1]
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      sendJson({
        outgoing,
        status: 405,
        body: { error: 'method not allowed', reason: 'partner feeds are read with GET' },
      })
      return
    }
    if (!file) {
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
    servePartnerFeed({
      payload,
      request: toRequest(incoming),
      file: name,
      siteUrl,
      canCompress: true,
    })
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer())
        outgoing.writeHead(response.status, Object.fromEntries(response.headers))
        outgoing.end(incoming.method === 'HEAD' ? undefined : body)
      })
      .catch((err: unknown) => {
        payload.logger.error({ msg: 'the partner feed failed', err })
        sendJson({
          outgoing,
          status: 500,
          body: { error: 'server error', reason: 'the feed could not be read; try again' },
        })
      })
  })
}

function toRequest(incoming: IncomingMessage): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) headers.set(name, value.join(', '))
  }
  const forwarded = headers.get('x-forwarded-for')
  // The client's own address, when no proxy in front said otherwise.
  if (!forwarded && incoming.socket.remoteAddress) headers.set('x-real-ip', incoming.socket.remoteAddress)
  return new Request(`http://feeds.local${incoming.url ?? '/'}`, { headers })
}

function sendJson({ outgoing, status, body }: { outgoing: ServerResponse; status: number; body: unknown }) {
  outgoing.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  outgoing.end(JSON.stringify(body))
}
