import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

export type RoundRobinProxy = {
  /** e.g. `http://127.0.0.1:41234`: the one address clients use */
  url: string
  close: () => Promise<void>
}

/**
 * A small reverse proxy on a free loopback port that sends each request to the next of
 * `upstreams` in turn, as a load balancer would, untouched but for `X-Forwarded-For` (appended)
 * and `X-Upstream` on the answer (which upstream answered, from 0), so a test sees who served it.
 */
export async function startRoundRobinProxy({ upstreams }: { upstreams: string[] }): Promise<RoundRobinProxy> {
  let next = 0
  const server = createServer((incoming, outgoing) => {
    const index = next
    next = (next + 1) % upstreams.length
    const target = new URL(incoming.url ?? '/', upstreams[index])
    const forwarded = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress]
      .filter(Boolean)
      .join(', ')
    const upstream = request(
      target,
      { method: incoming.method, headers: { ...incoming.headers, 'x-forwarded-for': forwarded } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-upstream': String(index) })
        answer.pipe(outgoing)
      },
    )
    upstream.on('error', (err) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' })
      outgoing.end(`upstream ${index}: ${err.message}`)
    })
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
