import type { ChildProcess } from 'node:child_process'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolOf } from '../../cms/db/pool.ts'
import { STORY_SCHEDULE_TASK } from '../../cms/jobs/storySchedule.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { keepOutputTail } from '../../scripts/lib/run.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { type OwnPostgres, startOwnPostgres } from '../helpers/ownPostgres.ts'
import { openScheduleDesk, type ScheduleDesk, timesPublished } from '../helpers/scheduledStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * A scheduled publication across database faults, with a Postgres server of this file's own
 * (the embedded one, stopped and started again on the same data) and a real worker process.
 */
let database: OwnPostgres
let kitchen: TestKitchen
let payload: Payload
let desk: ScheduleDesk
const workers: ChildProcess[] = []

beforeAll(async () => {
  database = await startOwnPostgres({ database: 'hongyan_faults' })
  kitchen = await startTestKitchen({ databaseUrl: database.url })
  payload = kitchen.payload
  desk = await openScheduleDesk({ kitchen, domain: 'faults.test', sectionName: '故障' })
}, 120_000)

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL')
  await kitchen?.cleanup().catch(() => undefined)
  await database?.cleanup()
})

async function scheduledStory({ title, at }: { title: string; at: Date }): Promise<number> {
  const story = await desk.approvedStory(title)
  await desk.schedulePublication({ storyId: story.id, at })
  return story.id
}

async function waitFor<T>({
  what,
  withinMs,
  read,
}: {
  what: string
  withinMs: number
  read: () => Promise<T | undefined>
}) {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    const value = await read().catch(() => undefined)
    if (value !== undefined) return value
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`${what} within ${withinMs} ms`)
}

const storyStage = async (id: number) =>
  (await payload.findByID({ collection: 'stories', id, draft: true, depth: 0 })).stage

async function runsOf(id: number) {
  const { docs } = await payload.find({
    collection: collectionSlugs.scheduleRuns,
    where: { story: { equals: id } },
    overrideAccess: true,
  })
  return docs
}

describe('a scheduled publication across database faults', () => {
  it('a database error while the schedule fires is tried again, never taken for a deleted story', async () => {
    const id = await scheduledStory({ title: '数据库出错时的定时发布', at: new Date(Date.now() + 60_000) })
    const { docs } = await payload.find({
      collection: 'payload-jobs',
      where: { taskSlug: { equals: STORY_SCHEDULE_TASK } },
      overrideAccess: true,
    })
    const job = docs.find((candidate) => Number((candidate.input as { storyId: number }).storyId) === id)
    if (!job) throw new Error('the schedule queued no job')
    // Due now; its story table is unreadable (a real database error, not a missing story).
    await payload.update({
      collection: 'payload-jobs',
      id: job.id,
      data: { waitUntil: new Date().toISOString() },
    })
    await poolOf(payload).query('alter table stories rename to stories_away')
    const failedAfter = Date.now()
    try {
      await payload.jobs.runByID({ id: job.id })
    } finally {
      await poolOf(payload).query('alter table stories_away rename to stories')
    }
    expect(await storyStage(id)).toBe('scheduled')
    expect((await runsOf(id)).filter((run) => run.status === 'skipped')).toEqual([])
    const failed = await payload.findByID({ collection: 'payload-jobs', id: job.id })
    expect(failed.hasError).not.toBe(true)
    expect(failed.completedAt ?? null).toBeNull()
    // Tried again after a backoff, not at once.
    expect(new Date(String(failed.waitUntil)).getTime()).toBeGreaterThan(failedAfter)

    // The retry, once its backoff is over, publishes the story once.
    await payload.update({
      collection: 'payload-jobs',
      id: job.id,
      data: { waitUntil: new Date().toISOString() },
    })
    await payload.jobs.runByID({ id: job.id })
    expect(await storyStage(id)).toBe('published')
    expect(await timesPublished({ payload, storyId: id })).toBe(1)
    expect((await runsOf(id)).map((run) => run.status)).toEqual(['done'])
  })

  it('Postgres stopped for 15 s across the due time: published once when it is back, marked late', async () => {
    const worker = await startWorkerProcess({
      env: { DATABASE_URL: database.url, HONGYAN_MEDIA_DIR: kitchen.mediaDir },
    })
    workers.push(worker)
    const workerOutput = keepOutputTail({ child: worker, maxChars: 8_000 })
    const due = new Date(Date.now() + 10_000)
    const id = await scheduledStory({ title: '停库期间到点的定时发布', at: due })
    await database.stop()
    // The server is down from before the due time (a stop takes well under a second; the
    // check says so if this machine was too slow for the test to mean anything) for 15 s.
    expect(Date.now()).toBeLessThan(due.getTime())
    await new Promise((resolve) => setTimeout(resolve, 15_000))
    await database.start()
    const restartedAt = Date.now()

    await waitFor({
      what: 'the story published after the database came back',
      withinMs: 60_000,
      read: async () => ((await storyStage(id)) === 'published' ? true : undefined),
    }).catch((err: Error) => {
      throw new Error(`${err.message}; the worker said: ${workerOutput()}`)
    })
    // Give a second worker attempt (had there been one) the time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    expect(await timesPublished({ payload, storyId: id })).toBe(1)
    const runs = await runsOf(id)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ status: 'done', isLate: true })
    expect(runs[0]?.lateBySeconds ?? 0).toBeGreaterThanOrEqual(
      Math.floor((restartedAt - due.getTime()) / 1000),
    )
  }, 180_000)
})
