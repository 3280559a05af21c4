import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolOf } from '../../cms/db/pool.ts'
import { MAX_BLOCK } from '../../cms/security/sharedRateLimit.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { stopChild } from '../../scripts/lib/run.ts'
import { type FeedServerProcess, startFeedServerProcess } from '../helpers/feedServerProcess.ts'
import { issuePartnerKey } from '../helpers/partnerKeys.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Two partner feed server processes on one database, as behind a proxy on two hosts: a
 * partner's limit a minute holds across both (each reserves blocks of it from Postgres, not
 * counting on its own), and the pull log holds every answered pull of either.
 */

let kitchen: TestKitchen
let payload: Payload
let adminToken = ''
const servers: FeedServerProcess[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  adminToken = (await createStaff({ payload, domain: 'ratelimit.test', roles: ['admin'] })).tokens.admin
  servers.push(
    ...(await Promise.all([
      startFeedServerProcess({ databaseUrl: kitchen.databaseUrl }),
      startFeedServerProcess({ databaseUrl: kitchen.databaseUrl }),
    ])),
  )
}, 120_000)

afterAll(async () => {
  await Promise.all(servers.map((server) => stopChild(server.child)))
  await kitchen?.cleanup()
})

async function limitedPartner({
  name,
  limit,
}: {
  name: string
  limit: number
}): Promise<{ id: number; key: string }> {
  const { id } = await payload.create({
    collection: collectionSlugs.partners,
    data: { name, allowedFormats: ['ninjs'], rateLimitPerMinute: limit },
  })
  return { id, key: await issuePartnerKey({ api: kitchen.api, token: adminToken, partnerId: id }) }
}

async function pull({ server, key }: { server: FeedServerProcess; key: string }) {
  const response = await fetch(`${server.url}/ninjs.json`, { headers: { authorization: `Bearer ${key}` } })
  const body = await response.text()
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body }
}

const countOf = async (text: string, values: unknown[]) =>
  Number((await poolOf(payload).query<{ count: string }>(text, values)).rows[0]?.count)

const loggedPulls = (partnerId: number) =>
  countOf(`select count(*) as count from partner_log where partner_id = $1 and kind = 'pull'`, [partnerId])

describe('partner rate limits behind two feed servers', () => {
  it('answer exactly the limit across both, one request after another, and log each answered pull once', async () => {
    const limit = 6
    const partner = await limitedPartner({ name: '轮询合作方', limit })
    const pulls = []
    for (let index = 0; index < 15; index += 1)
      pulls.push(await pull({ server: servers[index % 2] as FeedServerProcess, key: partner.key }))

    // Exactly the limit between them. A server may be refused while the other still holds a
    // token of its block (at most one here: blocks of 1), which it serves on its next pull: so
    // the first limit − 1 pulls are answered, and the limit in all.
    const statuses = pulls.map((p) => p.status)
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit)
    expect(statuses.filter((status) => status === 429)).toHaveLength(15 - limit)
    expect(statuses.slice(0, limit - 1)).toEqual(Array<number>(limit - 1).fill(200))
    // Both servers refused: neither counted alone (each would have allowed 6).
    expect(new Set(pulls.flatMap((p, index) => (p.status === 429 ? [index % 2] : []))).size).toBe(2)
    for (const p of pulls.filter((p) => p.status === 429)) {
      expect(Number(p.retryAfter)).toBeGreaterThan(0)
      expect(Number(p.retryAfter)).toBeLessThanOrEqual(60)
      expect(JSON.parse(p.body)).toEqual({
        error: 'rate_limited',
        reason: `limit is ${limit} a minute`,
        reasonZh: `每分钟最多 ${limit} 次`,
      })
    }
    await expect.poll(() => loggedPulls(partner.id)).toBe(limit)
  })

  it('never answer more than the limit when pulls come to both at once, and ask Postgres once a block', async () => {
    // A limit of 200 a minute: blocks of 10, so each server holds at most 15 it may not spend.
    const limit = 200
    const block = Math.min(MAX_BLOCK, limit / 20)
    const partner = await limitedPartner({ name: '并发合作方', limit })
    const statuses: number[] = []
    for (let wave = 0; wave < 6; wave += 1) {
      const pulls = await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          pull({ server: servers[index % 2] as FeedServerProcess, key: partner.key }),
        ),
      )
      statuses.push(...pulls.map((p) => p.status))
    }
    const answered = statuses.filter((status) => status === 200).length
    expect(answered).toBeLessThanOrEqual(limit)
    expect(answered).toBeGreaterThanOrEqual(limit - 2 * 1.5 * block)
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([])
    // The row handed out the whole limit, in blocks: no more.
    expect(
      await countOf('select count as count from rate_windows where key = $1', [`partner:${partner.id}`]),
    ).toBe(limit)
    await expect.poll(() => loggedPulls(partner.id)).toBe(answered)
  })
})
