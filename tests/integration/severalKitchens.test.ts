import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectionSlugs } from '../../cms/slugs.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { type RoundRobinProxy, startRoundRobinProxy } from '../helpers/roundRobinProxy.ts'
import { startS3Server, type TestS3Server } from '../helpers/s3Server.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Two `next start` kitchens on one database behind one round-robin proxy, as on two hosts that
 * share no disk (each its own media folder): a session made on one is good on the other, the
 * CSRF allowlist holds on both, and an upload through one is served by the other from the
 * media bucket (a real S3-protocol server, tests/helpers/s3Server.ts).
 */

const PASSWORD = 'a-long-test-password'

let kitchen: TestKitchen
let proxy: RoundRobinProxy
let s3: TestS3Server
const mediaDirs: string[] = []
const servers: KitchenServer[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  s3 = await startS3Server({ buckets: ['hongyan-media'] })
  for (const kitchenName of ['a', 'b'])
    mediaDirs.push(await mkdtemp(path.join(tmpdir(), `hongyan-kitchen-${kitchenName}-media-`)))
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { email: 'admin@kitchens.test', password: PASSWORD, name: '管理员', role: 'admin' },
  })
  // The proxy's address is the kitchens' public one (their CSRF allowlist): known before they start.
  const ports: string[] = []
  proxy = await startRoundRobinProxy({ upstreams: ports })
  const envOf = (mediaDir: string) => ({
    ...s3.env,
    DATABASE_URL: kitchen.databaseUrl,
    HONGYAN_MEDIA_DIR: mediaDir,
    HONGYAN_SERVER_URL: proxy.url,
  })
  servers.push(...(await Promise.all(mediaDirs.map((dir) => startTestKitchenServer({ env: envOf(dir) })))))
  ports.push(...servers.map((server) => server.url))
}, 240_000)

afterAll(async () => {
  await proxy?.close()
  await Promise.all(servers.map((server) => server.stop()))
  await kitchen?.cleanup()
  await s3?.stop()
  await Promise.all(mediaDirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A request through the proxy; `upstream` is the kitchen (0 or 1) that answered. */
async function viaProxy(pathname: string, init: RequestInit = {}) {
  const response = await fetch(`${proxy.url}${pathname}`, init)
  return { response, upstream: Number(response.headers.get('x-upstream')) }
}

async function login(): Promise<{ cookie: string; upstream: number }> {
  const { response, upstream } = await viaProxy('/api/users/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: proxy.url },
    body: JSON.stringify({ email: 'admin@kitchens.test', password: PASSWORD }),
  })
  expect(response.status).toBe(200)
  const token = /payload-token=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1]
  if (!token) throw new Error('the login set no session cookie')
  return { cookie: `payload-token=${token}`, upstream }
}

async function me({ cookie, origin }: { cookie: string; origin: string }) {
  const { response, upstream } = await viaProxy('/api/users/me', { headers: { cookie, origin } })
  const body = (await response.json()) as { user: { email: string } | null }
  return { email: body.user?.email ?? null, upstream }
}

describe('two kitchens behind one proxy', () => {
  it('take a session made on either, from the trusted origin only', async () => {
    const { cookie, upstream } = await login()
    const answers = [await me({ cookie, origin: proxy.url }), await me({ cookie, origin: proxy.url })]
    // Both kitchens answered, the one that did not make the session too.
    expect(new Set([upstream, ...answers.map((answer) => answer.upstream)])).toEqual(new Set([0, 1]))
    expect(answers.map((answer) => answer.email)).toEqual(['admin@kitchens.test', 'admin@kitchens.test'])
    // Another site's page sending the cookie: neither kitchen takes it (Payload's CSRF allowlist).
    const forged = [
      await me({ cookie, origin: 'https://evil.example' }),
      await me({ cookie, origin: 'https://evil.example' }),
    ]
    expect(new Set(forged.map((answer) => answer.upstream))).toEqual(new Set([0, 1]))
    expect(forged.map((answer) => answer.email)).toEqual([null, null])
  })

  it('serve an upload made through either from the other', async () => {
    const { cookie } = await login()
    const bytes = await noisyJpeg({ width: 320, height: 200, sigma: 40, quality: 80 })
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'kitchens.jpg')
    form.append('_payload', JSON.stringify({ alt: '两个厨房的照片' }))
    const { response, upstream } = await viaProxy('/api/media', {
      method: 'POST',
      headers: { cookie, origin: proxy.url },
      body: form,
    })
    expect(response.status).toBe(201)
    const { doc } = (await response.json()) as { doc: { url: string; filename: string } }
    // The file went to the bucket, not to the folder of the kitchen that took it.
    expect(
      s3.events.some(
        (event) =>
          event.kind === 'put' && event.bucket === 'hongyan-media' && event.key.endsWith(doc.filename),
      ),
    ).toBe(true)
    for (const dir of mediaDirs) expect(existsSync(path.join(dir, doc.filename))).toBe(false)
    const served = []
    for (let index = 0; index < 2; index += 1) {
      // The URL is absolute, on the public (proxy's) origin: HONGYAN_SERVER_URL.
      const url = new URL(doc.url, proxy.url)
      expect(url.origin).toBe(proxy.url)
      const answer = await viaProxy(`${url.pathname}${url.search}`, {
        headers: { cookie, origin: proxy.url },
      })
      served.push({
        upstream: answer.upstream,
        status: answer.response.status,
        bytes: Buffer.from(await answer.response.arrayBuffer()),
      })
    }
    // The kitchen that did not take the upload serves it, the same bytes as the one that did.
    expect(served.map((answer) => answer.upstream).sort()).toEqual([0, 1])
    expect(upstream).toBeGreaterThanOrEqual(0)
    expect(served.map((answer) => answer.status)).toEqual([200, 200])
    expect(served[0]?.bytes.length).toBeGreaterThan(1000)
    expect(served[0]?.bytes.equals(served[1]?.bytes as Buffer)).toBe(true)
  })
})
