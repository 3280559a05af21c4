import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolOf } from '../../cms/db/pool.ts'
import { type OwnPostgres, startOwnPostgres } from '../helpers/ownPostgres.ts'
import { openScheduleDesk } from '../helpers/scheduledStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * The schedule API (`/api/stories/:id/schedule`) when the database fails under it, with a
 * Postgres server of this file's own: stopped, it is a 503 with Retry-After and a reason in
 * both languages (never a 404 for a story it could not read, nor a 401 for a token it could
 * not check); a table gone is a 500 refusal, never a 404; and it answers again by itself.
 */
let database: OwnPostgres
let kitchen: TestKitchen
let payload: Payload
let editorToken = ''
let storyId: number

beforeAll(async () => {
  database = await startOwnPostgres({ database: 'hongyan_schedule_api_faults' })
  kitchen = await startTestKitchen({ databaseUrl: database.url })
  payload = kitchen.payload
  const desk = await openScheduleDesk({ kitchen, domain: 'faults.test', sectionName: '故障' })
  editorToken = desk.editorToken
  storyId = (await desk.approvedStory('定时接口故障')).id
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup().catch(() => undefined)
  await database?.cleanup()
})

async function callSchedule({ method, body }: { method: 'GET' | 'POST'; body?: unknown }) {
  const started = performance.now()
  const response = await kitchen.api.rest[method](
    new Request(`http://localhost/api/stories/${storyId}/schedule`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `JWT ${editorToken}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ slug: ['stories', String(storyId), 'schedule'] }) },
  )
  const json = (await response.json()) as Record<string, unknown>
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    json,
    tookMs: performance.now() - started,
  }
}

const publishTomorrow = () => ({
  action: 'publish',
  at: new Date(Date.now() + 86_400_000).toISOString(),
})

describe('the schedule API when the database fails', () => {
  it('answers 503 with Retry-After while Postgres is stopped, and serves again once it is back', async () => {
    expect((await callSchedule({ method: 'GET' })).status).toBe(200)
    await database.stop()
    try {
      for (const answer of [
        await callSchedule({ method: 'GET' }),
        await callSchedule({ method: 'POST', body: publishTomorrow() }),
      ]) {
        expect(answer).toMatchObject({ status: 503, json: { error: 'unavailable' } })
        expect(Number(answer.retryAfter)).toBeGreaterThan(0)
        expect(String(answer.json.reason)).toMatch(/database/)
        expect(String(answer.json.reasonZh)).toMatch(/数据库/)
        expect(answer.tookMs).toBeLessThan(5_000)
      }
    } finally {
      await database.start()
    }
    // The kitchen was not restarted: its pool connects again by itself.
    const created = await callSchedule({ method: 'POST', body: publishTomorrow() })
    expect(created.status).toBe(201)
    const listed = await callSchedule({ method: 'GET' })
    expect(listed.status).toBe(200)
    expect(listed.json.schedules).toHaveLength(1)
  }, 120_000)

  it('answers a database error of the story read with a 500 refusal, never a 404', async () => {
    await poolOf(payload).query('alter table stories rename to stories_away')
    let answer: Awaited<ReturnType<typeof callSchedule>>
    try {
      answer = await callSchedule({ method: 'GET' })
    } finally {
      await poolOf(payload).query('alter table stories_away rename to stories')
    }
    expect(answer).toMatchObject({ status: 500, json: { error: 'server_error' } })
    expect(String(answer.json.reasonZh).length).toBeGreaterThan(3)
    expect((await callSchedule({ method: 'GET' })).status).toBe(200)
  })
})
