import { createServer } from 'node:http'
import { REST_GET } from '@payloadcms/next/routes'
import { guardApi } from '../../cms/security/apiGuard.ts'
import { runCli } from '../lib/cli.ts'
import { loadMigratedPayload } from '../lib/payload.ts'

/**
 * `GET /api/...` of the kitchen on HONGYAN_BENCH_API_PORT: Payload's REST handler behind the
 * house guard, the same the Next.js route calls, served by node:http (no admin build needed).
 */
runCli(async () => {
  await loadMigratedPayload()
  const { default: config } = await import('../../cms/payload.config.ts')
  const handler = guardApi(REST_GET(config))
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const slug = url.pathname
      .replace(/^\/api\/?/, '')
      .split('/')
      .filter(Boolean)
    const answer = await handler(new Request(url, { headers: request.headers as HeadersInit }), {
      params: Promise.resolve({ slug }),
    })
    const body = Buffer.from(await answer.arrayBuffer())
    response.writeHead(answer.status, {
      ...Object.fromEntries(answer.headers),
      'content-length': body.length,
    })
    response.end(body)
  })
  await new Promise<void>((resolve) =>
    server.listen(Number(process.env.HONGYAN_BENCH_API_PORT), '127.0.0.1', resolve),
  )
  await new Promise<void>((resolve) => process.once('SIGTERM', () => server.close(() => resolve())))
  process.exit(0)
})
