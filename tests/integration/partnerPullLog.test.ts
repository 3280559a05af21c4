import type { AddressInfo } from 'node:net'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { poolOf } from '../../cms/db/pool.ts'
import { createPartnerFeedServer } from '../../cms/publishing/partnerFeed/feedServer.ts'
import { flushPullLog, MAX_HELD_PULLS, pullLogBacklog } from '../../cms/publishing/partnerFeed/pullLog.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { issuePartnerKey } from '../helpers/partnerKeys.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * The partner pull log while its writes fail for real (its table renamed away, as a broken
 * migration or a lost table would): it holds at most MAX_HELD_PULLS rows, counts and reports
 * what it drops through Payload's logger, and writes what it held once the table is back.
 */

let kitchen: TestKitchen
let payload: Payload
let partnerId: number
let key = ''

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  const { tokens } = await createStaff({ payload, domain: 'pulllog.test', roles: ['admin'] })
  const section = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '要闻', order: 1 },
  })
  await payload.create({
    collection: collectionSlugs.stories,
    data: {
      title: '拉取日志测试稿件',
      section: section.id,
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
    },
    context: { isSeed: true },
  })
  partnerId = (
    await payload.create({
      collection: collectionSlugs.partners,
      data: { name: '日志合作方', allowedFormats: ['ninjs'], rateLimitPerMinute: 100_000 },
    })
  ).id
  key = await issuePartnerKey({ api: kitchen.api, token: tokens.admin, partnerId })
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

const loggedPulls = async () =>
  Number(
    (
      await poolOf(payload).query(
        `select count(*) as n from partner_log where partner_id = $1 and kind = 'pull'`,
        [partnerId],
      )
    ).rows[0]?.n,
  )

async function until({ what, isDone }: { what: string; isDone: () => Promise<boolean> | boolean }) {
  const deadline = Date.now() + 30_000
  while (!(await isDone())) {
    if (Date.now() > deadline) throw new Error(`${what} within 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('the partner pull log while it cannot be written', () => {
  it('holds at most its cap, reports what it drops, and writes what it held when the table is back', async () => {
    // A window longer than the test: pulls are answered from memory, as during an outage.
    const server = createPartnerFeedServer({
      payload,
      siteUrl: 'https://news.example.cn',
      freshnessMs: 600_000,
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feeds/partner/ninjs.json`
    const pull = async () => (await fetch(url, { headers: { authorization: `Bearer ${key}` } })).status
    const warn = vi.spyOn(payload.logger, 'warn')
    const messages = () => warn.mock.calls.map(([entry]) => String((entry as { msg?: string }).msg))
    const renamed = { value: false }
    try {
      expect(await pull()).toBe(200)
      await until({ what: 'the first pull logged', isDone: async () => (await loggedPulls()) === 1 })

      await poolOf(payload).query('alter table partner_log rename to partner_log_away')
      renamed.value = true
      const extra = 500
      let maxHeld = 0
      let pulled = 0
      const statuses = new Map<number, number>()
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (pulled < MAX_HELD_PULLS + extra) {
            pulled += 1
            const status = await pull()
            statuses.set(status, (statuses.get(status) ?? 0) + 1)
            maxHeld = Math.max(maxHeld, pullLogBacklog().held)
          }
        }),
      )
      await flushPullLog()
      const backlog = pullLogBacklog()
      console.log(
        `partnerPullLog: ${pulled} pulls while the log could not be written (${JSON.stringify(Object.fromEntries(statuses))}); held at most ${maxHeld}, now ${backlog.held}, dropped ${backlog.dropped}`,
      )
      expect(statuses.get(200)).toBe(MAX_HELD_PULLS + extra)
      expect(maxHeld).toBeLessThanOrEqual(MAX_HELD_PULLS)
      expect(backlog).toEqual({ held: MAX_HELD_PULLS, dropped: extra })
      // Reported once each, not per pull or per retry.
      expect(messages().filter((msg) => msg.includes('cannot be written'))).toHaveLength(1)
      expect(messages().filter((msg) => msg.includes(`holds ${MAX_HELD_PULLS} pulls`))).toHaveLength(1)

      await poolOf(payload).query('alter table partner_log_away rename to partner_log')
      renamed.value = false
      await until({ what: 'the held pulls written', isDone: () => pullLogBacklog().held === 0 })
      await until({
        what: 'the log reporting it is written again',
        isDone: () => messages().some((msg) => msg.includes('written again')),
      })
      const resumed = warn.mock.calls.find(([entry]) =>
        String((entry as { msg?: string }).msg).includes('written again'),
      )?.[0]
      expect(resumed).toMatchObject({ dropped: extra })
      expect(String((resumed as { msg: string }).msg)).toContain(`${MAX_HELD_PULLS} pulls held were written`)
      expect(await loggedPulls()).toBe(1 + MAX_HELD_PULLS)
      expect(pullLogBacklog()).toEqual({ held: 0, dropped: 0 })

      // And pulls are logged as before.
      expect(await pull()).toBe(200)
      await flushPullLog()
      await until({
        what: 'a new pull logged',
        isDone: async () => (await loggedPulls()) === 2 + MAX_HELD_PULLS,
      })
    } finally {
      warn.mockRestore()
      if (renamed.value) await poolOf(payload).query('alter table partner_log_away rename to partner_log')
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }, 120_000)
})
