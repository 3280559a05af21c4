import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolOf } from '../../cms/db/pool.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { stopChild } from '../../scripts/lib/run.ts'
import { type FeedServerProcess, startFeedServerProcess } from '../helpers/feedServerProcess.ts'
import { issuePartnerKey } from '../helpers/partnerKeys.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Two partner feed server processes on one database, as behind a proxy on two hosts: a
 * partner's limit a minute holds across both (counted in Postgres, not in each process), and
 * the pull log holds every answered pull of either.
 */

const LIMIT = 6
const PULLS = 15

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

async function limitedPartner(name: string): Promise<{ id: number; key: string }> {
  const { id } = await payload.create({
    collection: collectionSlugs.partners,
    data: { name, allowedFormats: ['ninjs'], rateLimitPerMinute: LIMIT },
  })
  return { id, key: await issuePartnerKey({ api: kitchen.api, token: adminToken, partnerId: id }) }
}

async function pull({ server, key }: { server: FeedServerProcess; key: string }) {
  const response = await fetch(`${server.url}/ninjs.json`, { headers: { authorization: `Bearer ${key}` } })
  const body = await response.text()
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body }
}

const loggedPulls = async (partnerId: number) =>
  Number(
    (
      await poolOf(payload).query<{ count: string }>(
        `select count(*) as count from partner_log where partner_id = $1 and kind = 'pull'`,
        [partnerId],
      )
    ).rows[0]?.count,
  )

describe('partner rate limits behind two feed servers', () => {
  it('answer exactly the limit across both, one request after another, and log each answered pull once', async () => {
    const partner = await limitedPartner('轮询合作方')
    const pulls = []
    for (let index = 0; index < PULLS; index += 1)
      pulls.push(await pull({ server: servers[index % 2] as FeedServerProcess, key: partner.key }))

    expect(pulls.map((p) => p.status)).toEqual([
      ...Array<number>(LIMIT).fill(200),
      ...Array<number>(PULLS - LIMIT).fill(429),
    ])
    // Both servers answered and both refused: neither counted alone.
    for (const p of pulls.slice(LIMIT)) {
      expect(Number(p.retryAfter)).toBeGreaterThan(0)
      expect(Number(p.retryAfter)).toBeLessThanOrEqual(60)
      expect(JSON.parse(p.body)).toEqual({
        error: 'rate_limited',
        reason: `limit is ${LIMIT} a minute`,
        reasonZh: `每分钟最多 ${LIMIT} 次`,
      })
    }
    await expect.poll(() => loggedPulls(partner.id)).toBe(LIMIT)
  })

  it('answer exactly the limit when the pulls come to both at once', async () => {
    const partner = await limitedPartner('并发合作方')
    const pulls = await Promise.all(
      Array.from({ length: PULLS }, (_, index) =>
        pull({ server: servers[index % 2] as FeedServerProcess, key: partner.key }),
      ),
    )
    const statuses = pulls.map((p) => p.status)
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT)
    expect(statuses.filter((status) => status === 429)).toHaveLength(PULLS - LIMIT)
    await expect.poll(() => loggedPulls(partner.id)).toBe(LIMIT)
  })
})
