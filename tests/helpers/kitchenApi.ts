import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestKitchen } from './testPayload.ts'

/**
 * The test kitchen's `GET /api/...` over HTTP on a free local port: the same guarded REST
 * handler the Next.js route runs, for a browser or the site server to reach.
 */
export async function serveKitchenApi(
  kitchen: TestKitchen,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const slug = url.pathname
      .replace(/^\/api\/?/, '')
      .split('/')
      .filter(Boolean)
    const answer = await kitchen.api.rest.GET(new Request(url), { params: Promise.resolve({ slug }) })
    const body = Buffer.from(await answer.arrayBuffer())
    response.writeHead(answer.status, {
      ...Object.fromEntries(answer.headers),
      'content-length': body.length,
    })
    response.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
