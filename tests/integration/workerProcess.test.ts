import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LATE_AFTER_MS, STORY_SCHEDULE_TASK } from '../../cms/jobs/storySchedule.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { openScheduleDesk, type ScheduleDesk, timesPublished } from '../helpers/scheduledStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let payload: Payload
let desk: ScheduleDesk
const workers: ChildProcess[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  desk = await openScheduleDesk({ kitchen, domain: 'worker.test', sectionName: '进程' })
})

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL')
  await kitchen?.cleanup()
})

async function startWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
  const worker = await startWorkerProcess({
    env: { DATABASE_URL: kitchen.databaseUrl, HONGYAN_MEDIA_DIR: kitchen.mediaDir, ...env },
  })
  workers.push(worker)
  return worker
}

/** The distinct nice values of a process's threads (Linux: each thread has its own). */
function threadNiceness(pid: number | undefined): number[] {
  // Field 19 of /proc/<pid>/task/<tid>/stat; the command name before it may hold spaces.
  const niceOf = (tid: string) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])]
    } catch {
      return [] // the thread ended meanwhile
    }
  }
  return [...new Set(readdirSync(`/proc/${pid}/task`).flatMap(niceOf))]
}

function kill9(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    worker.once('exit', () => resolve())
    worker.kill('SIGKILL')
  })
}

async function scheduledStory({
  title,
  dueInMs,
}: {
  title: string
  dueInMs: number
}): Promise<{ id: number; due: Date }> {
  const story = await desk.approvedStory(title)
  const due = new Date(Date.now() + dueInMs)
  await desk.schedulePublication({ storyId: story.id, at: due })
  return { id: story.id, due }
}

async function waitForStage({
  id,
  stage,
  withinMs,
}: {
  id: number
  stage: string
  withinMs: number
}): Promise<number> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    const story = await payload.findByID({ collection: 'stories', id, draft: true, depth: 0 })
    if (story.stage === stage) return Date.now()
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`story ${id} did not become ${stage} within ${withinMs} ms`)
}

/** Waits until no schedule job of these stories is left unfinished (Payload deletes a job once it completes). */
async function waitForJobsDone({ storyIds, withinMs }: { storyIds: number[]; withinMs: number }) {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    const { docs } = await payload.find({
      collection: 'payload-jobs',
      where: { taskSlug: { equals: STORY_SCHEDULE_TASK } },
      pagination: false,
      depth: 0,
    })
    const unfinished = docs.filter(
      (job) => storyIds.includes(Number((job.input as { storyId?: number }).storyId)) && !job.completedAt,
    )
    if (unfinished.length === 0) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the schedules of stories ${storyIds.join(', ')} did not finish within ${withinMs} ms`)
}

describe('job workers as real processes', () => {
  it('two workers on one queue, one killed with SIGKILL, a restart: each schedule fires exactly once', async () => {
    // The first as deployed, HONGYAN_WORKER_NICE unset (the tests' workers run at 0, tests/setup):
    // below the servers' CPU priority (nice 10), every thread of it, so builds yield to readers.
    const [first, second] = await Promise.all([startWorker({ HONGYAN_WORKER_NICE: '' }), startWorker()])
    expect(Math.min(...threadNiceness(first?.pid))).toBeGreaterThanOrEqual(10)
    const onTime = await scheduledStory({ title: '两个工人一个队列', dueInMs: 3000 })
    const publishedAt = await waitForStage({ id: onTime.id, stage: 'published', withinMs: 30_000 })
    expect(publishedAt).toBeGreaterThanOrEqual(onTime.due.getTime())

    // Both workers die; the next story falls due while none runs, and waits in Postgres.
    await Promise.all([kill9(first as ChildProcess), kill9(second as ChildProcess)])
    const overdue = await scheduledStory({ title: '停机期间到点的稿件', dueInMs: 1000 })
    // Past its time by more than the lateness threshold before any worker starts: the run that
    // publishes it is late however quickly the worker then starts.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, overdue.due.getTime() - Date.now()) + LATE_AFTER_MS + 1000),
    )
    expect((await payload.findByID({ collection: 'stories', id: overdue.id, draft: true })).stage).toBe(
      'scheduled',
    )

    await startWorker()
    await waitForStage({ id: overdue.id, stage: 'published', withinMs: 30_000 })
    // Every schedule's job has finished: no attempt is left that could publish a second time.
    await waitForJobsDone({ storyIds: [onTime.id, overdue.id], withinMs: 30_000 })
    expect(await timesPublished({ payload, storyId: onTime.id })).toBe(1)
    expect(await timesPublished({ payload, storyId: overdue.id })).toBe(1)
    const { docs: runs } = await payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: { story: { equals: overdue.id } },
      depth: 0,
    })
    expect(runs).toMatchObject([{ status: 'done', isLate: true }])
  }, 120_000)
})
