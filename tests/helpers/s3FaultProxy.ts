import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request the proxy may refuse: its method and its path (`/bucket/key`, decoded). */
export type S3Request = { method: string; path: string }

export type S3FaultProxy = {
  endpoint: string
  /** From now on, answers the requests `rule` picks with S3's 403 AccessDenied; null passes all. */
  refuse: (rule: ((request: S3Request) => boolean) | null) => void
  stop: () => Promise<void>
}

/**
 * A real HTTP proxy in front of the test's S3 server that refuses the requests a test picks,
 * as a provider does (a 403 `AccessDenied` in S3's XML, which the SDK does not retry): the
 * kitchen talks to the proxy, the test sees what reached the bucket through the server itself.
 */
export async function startS3FaultProxy({ target }: { target: string }): Promise<S3FaultProxy> {
  const upstream = new URL(target)
  let rule: ((request: S3Request) => boolean) | null = null
  const server = http.createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?')[0] ?? '/')
    if (rule?.({ method: request.method ?? 'GET', path })) {
      request.resume()
      request.on('end', () => {
        response.writeHead(403, { 'content-type': 'application/xml' })
        response.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Refused by the test proxy</Message></Error>',
        )
      })
      return
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    forwarded.on('error', (err) => response.destroy(err))
    request.pipe(forwarded)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    refuse: (next) => {
      rule = next
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}
