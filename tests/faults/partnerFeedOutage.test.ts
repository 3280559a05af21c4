import type { ChildProcess } from 'node:child_process'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { processTreeMb } from '../../scripts/bench/measure.ts'
import { keepOutputTail, spawnScript, stopChild } from '../../scripts/lib/run.ts'
import { type OwnPostgres, startOwnPostgres } from '../helpers/ownPostgres.ts'
import { callPartnerKey, issuePartnerKey } from '../helpers/partnerKeys.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Postgres stopped under partner-feed load, with a Postgres server of this file's own and the
 * real feed server process (`scripts/feeds.ts`): every answer it cannot give is a 503 with
 * Retry-After (never a 500, never a wait past 5 s), its memory stays bounded, and it serves
 * again by itself when the database is back. Answers from memory go on only within the
 * freshness window, so a key revoked just before the outage stops working within it too.
 */

const FRESHNESS_MS = 1000
const LOAD_MS = 20_000
const STOP_AT_MS = 4_000
const OUTAGE_MS = 10_000
const CONCURRENCY = 20

let database: OwnPostgres
let kitchen: TestKitchen
let payload: Payload
let adminToken = ''
let feeds: { child: ChildProcess; url: string; output: () => string } | undefined

beforeAll(async () => {
  database = await startOwnPostgres({ database: 'hongyan_feed_faults' })
  kitchen = await startTestKitchen({ databaseUrl: database.url })
  payload = kitchen.payload
  adminToken = (await createStaff({ payload, domain: 'feeds.test', roles: ['admin'] })).tokens.admin
  const section = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '要闻', order: 1 },
  })
  for (let index = 1; index <= 5; index += 1) {
    await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: `停库压测稿件 ${index}`,
        summary: '测试用稿件。',
        section: section.id,
        stage: 'published',
        _status: 'published',
        publishedAt: new Date().toISOString(),
      },
      context: { isSeed: true },
    })
  }
}, 120_000)

afterAll(async () => {
  if (feeds) await stopChild(feeds.child)
  await kitchen?.cleanup().catch(() => undefined)
  await database?.cleanup()
})

async function partnerKey(name: string): Promise<{ id: number; key: string }> {
  const { id } = await payload.create({
    collection: collectionSlugs.partners,
    data: { name, allowedFormats: ['ninjs', 'rss'], rateLimitPerMinute: 100_000 },
  })
  return { id, key: await issuePartnerKey({ api: kitchen.api, token: adminToken, partnerId: id }) }
}

async function startFeedServer() {
  const port = await findFreePort()
  const child = spawnScript({
    script: 'scripts/feeds.ts',
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      FEEDS_PORT: String(port),
      HONGYAN_FEEDS_FRESHNESS_MS: String(FRESHNESS_MS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = keepOutputTail({ child, maxChars: 200_000 })
  const deadline = Date.now() + 60_000
  while (!output().includes('partner feeds on')) {
    if (child.exitCode !== null) throw new Error(`the feed server exited: ${output()}`)
    if (Date.now() > deadline) throw new Error(`the feed server did not start: ${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, url: `http://127.0.0.1:${port}/feeds/partner`, output }
}

type Pull = { at: number; ms: number; status: number; retryAfter: string | null; error: string }

describe('the partner feed server while Postgres is stopped', () => {
  it('answers 503 with Retry-After, never 500 or a hang, stays small, and serves again by itself', async () => {
    const steady = await partnerKey('停库合作方')
    const revoked = await partnerKey('停库前吊销的合作方')
    feeds = await startFeedServer()
    const server = feeds
    const first = await fetch(`${server.url}/ninjs.json`, {
      headers: { authorization: `Bearer ${steady.key}` },
    })
    expect(first.status).toBe(200)
    const etag = String(first.headers.get('etag'))
    expect(
      (await fetch(`${server.url}/ninjs.json`, { headers: { authorization: `Bearer ${revoked.key}` } }))
        .status,
    ).toBe(200)
    const pid = server.child.pid as number
    const rssBefore = await processTreeMb(pid)

    const pull = async (key: string, isConditional: boolean): Promise<Omit<Pull, 'at'>> => {
      const started = performance.now()
      try {
        const response = await fetch(`${server.url}/ninjs.json`, {
          headers: { authorization: `Bearer ${key}`, ...(isConditional ? { 'if-none-match': etag } : {}) },
          signal: AbortSignal.timeout(10_000),
        })
        await response.arrayBuffer()
        return {
          ms: performance.now() - started,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          error: '',
        }
      } catch (err) {
        return { ms: performance.now() - started, status: 0, retryAfter: null, error: (err as Error).message }
      }
    }

    const started = performance.now()
    const elapsed = () => performance.now() - started
    const steadyPulls: Pull[] = []
    const revokedPulls: Pull[] = []
    const rss: { at: number; mb: number }[] = []
    let isLoading = true
    // At least LOAD_MS, and 5 s of load after the restart however long the restart took.
    let loadEndsAt = LOAD_MS
    const sampling = (async () => {
      while (isLoading) {
        rss.push({ at: elapsed(), mb: await processTreeMb(pid) })
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    })()
    const load = Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        // One worker in ten pulls with the key about to be revoked.
        const isRevokedKey = worker % 10 === 0
        while (elapsed() < loadEndsAt) {
          const at = elapsed()
          const answer = await pull(isRevokedKey ? revoked.key : steady.key, worker % 2 === 1)
          ;(isRevokedKey ? revokedPulls : steadyPulls).push({ at, ...answer })
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
      }),
    )

    await new Promise((resolve) => setTimeout(resolve, STOP_AT_MS))
    expect(
      (await callPartnerKey({ api: kitchen.api, token: adminToken, method: 'DELETE', partnerId: revoked.id }))
        .status,
    ).toBe(200)
    const revokedAt = elapsed()
    await database.stop()
    const stoppedAt = elapsed()
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS))
    // Postgres answers before database.start() returns: the outage ends when the restart begins.
    const restartBeganAt = elapsed()
    await database.start()
    const restartedAt = elapsed()
    loadEndsAt = Math.max(LOAD_MS, restartedAt + 5_000)
    await load
    isLoading = false
    await sampling

    const all = [...steadyPulls, ...revokedPulls]
    const count = (pulls: Pull[]) =>
      Object.fromEntries(
        [...new Set(pulls.map((p) => p.status))].map((status) => [
          status,
          pulls.filter((p) => p.status === status).length,
        ]),
      )
    const inOutage = (pulls: Pull[]) => pulls.filter((p) => p.at >= stoppedAt && p.at < restartBeganAt)
    const afterRestart = (pulls: Pull[]) => pulls.filter((p) => p.at >= restartedAt)
    const rssIn = (from: number, to: number) =>
      rss.filter((sample) => sample.at >= from && sample.at < to).map((sample) => sample.mb)
    const rssPeaks = [rssIn(0, stoppedAt), rssIn(stoppedAt, restartedAt), rssIn(restartedAt, Infinity)].map(
      (samples) => Math.max(...samples),
    )
    const rssAtEnd = Math.max(...rssIn(loadEndsAt - 1_000, Infinity))
    const warnings = server.output().match(/cannot reach the database/g)?.length ?? 0
    console.log(
      [
        `partnerFeedOutage: ${all.length} pulls; stopped at ${Math.round(stoppedAt)} ms, restarted from ${Math.round(restartBeganAt)} to ${Math.round(restartedAt)} ms`,
        `  before: ${JSON.stringify(count(all.filter((p) => p.at < stoppedAt)))}`,
        `  during: ${JSON.stringify(count(inOutage(all)))}`,
        `  after:  ${JSON.stringify(count(afterRestart(all)))}`,
        `  revoked key after its revocation: ${JSON.stringify(count(revokedPulls.filter((p) => p.at >= revokedAt)))}`,
        `  slowest ${Math.round(Math.max(...all.map((p) => p.ms)))} ms; server RSS ${rssBefore.toFixed(0)} MB idle, peak under load before/during/after the outage ${rssPeaks.map((mb) => mb.toFixed(0)).join('/')} MB, ${rssAtEnd.toFixed(0)} MB at the end; ${warnings} outage warnings logged`,
      ].join('\n'),
    )

    expect(all.filter((p) => p.status === 0)).toEqual([])
    expect(all.filter((p) => p.status >= 500 && p.status !== 503)).toEqual([])
    expect(Math.max(...all.map((p) => p.ms))).toBeLessThan(5_000)
    // During the outage: answers from memory within the window, else a 503 to retry.
    const refusedDuring = inOutage(steadyPulls).filter((p) => p.status !== 200 && p.status !== 304)
    expect(refusedDuring.length).toBeGreaterThan(0)
    for (const pull of refusedDuring)
      expect(pull).toMatchObject({ status: 503, retryAfter: expect.any(String) })
    const servedLate = inOutage(steadyPulls).filter(
      (p) => (p.status === 200 || p.status === 304) && p.at >= stoppedAt + FRESHNESS_MS + 500,
    )
    expect(servedLate).toEqual([])
    // The revoked key: no 200 later than the window after its revocation.
    const lateServed = revokedPulls.filter((p) => p.status === 200 && p.at > revokedAt + FRESHNESS_MS + 500)
    expect(lateServed).toEqual([])
    // Back by itself, without a restart of the server.
    expect(server.child.exitCode).toBeNull()
    expect(afterRestart(steadyPulls).some((p) => p.status === 200 || p.status === 304)).toBe(true)
    const lastPulls = steadyPulls.filter((p) => p.at > loadEndsAt - 1_000)
    expect(lastPulls.length).toBeGreaterThan(0)
    expect(lastPulls.every((p) => p.status === 200 || p.status === 304)).toBe(true)
    expect(revokedPulls.filter((p) => p.at > loadEndsAt - 1_000).every((p) => p.status === 403)).toBe(true)
    // Bounded: under load the heap grows until V8's first full collection, with or without an
    // outage (+250 to +350 MB on a 2-core machine running other tests), never towards the
    // gigabytes an unbounded backlog would take (the backlog's own cap is exact: see
    // tests/integration/partnerPullLog.test.ts). When V8 gives memory back is its own choice,
    // so the figure after the outage is printed above, not asserted.
    expect(Math.max(...rssPeaks)).toBeLessThan(rssBefore + 500)
    // Reported, not per request.
    expect(warnings).toBeGreaterThan(0)
    expect(warnings).toBeLessThanOrEqual(Math.ceil(OUTAGE_MS / 10_000) + 1)
  }, 180_000)
})
