import type { Payload } from 'payload'
import { type QueuedSchedule, type ScheduleItem, scheduleItems } from '../publishing/desk/scheduleItems.ts'
import { type FailedJob, recentTroubles, type TroubleRow } from '../publishing/desk/troubles.ts'
import { SITE_BUILD_TASK } from './siteBuild.ts'
import { openScheduleJobs, STORY_SCHEDULE_TASK, type StoryScheduleInput } from './storySchedule.ts'

/**
 * The desk's reads of the jobs queue: every story's pending schedules (the calendar, 今日排期,
 * `GET /api/schedule`) and the schedules and site builds that failed for good (迟发/失败).
 */

/** Every story's schedules not fired yet whose time falls in [from, to), soonest first. */
export async function queuedSchedules({
  payload,
  from,
  to,
}: {
  payload: Payload
  from: Date
  to: Date
}): Promise<QueuedSchedule[]> {
  // The schedule's own time is in its input: a job being retried waits until a later time.
  return (await openScheduleJobs({ payload }))
    .flatMap(({ id, input }) => {
      const at = new Date(input.at)
      if (!(at >= from && at < to)) return []
      return [
        {
          id,
          storyId: Number(input.storyId),
          action: input.action,
          at: at.toISOString(),
          timeZone: input.timeZone,
        },
      ]
    })
    .sort((a, b) => a.at.localeCompare(b.at))
}

/** The schedules and site builds that failed for good since `since` (Payload keeps a failed job, with its error). */
export async function failedJobs({
  payload,
  since,
}: {
  payload: Payload
  since: Date
}): Promise<FailedJob[]> {
  const { docs } = await payload.find({
    collection: 'payload-jobs',
    sort: '-updatedAt',
    where: {
      and: [
        { taskSlug: { in: [STORY_SCHEDULE_TASK, SITE_BUILD_TASK] } },
        { hasError: { equals: true } },
        { updatedAt: { greater_than_equal: since.toISOString() } },
      ],
    },
    limit: 100,
    depth: 0,
    overrideAccess: true,
  })
  return docs.map((job) => {
    const isSchedule = job.taskSlug === STORY_SCHEDULE_TASK
    const input = job.input as Partial<StoryScheduleInput> | undefined
    const error = job.error as { message?: unknown } | null | undefined
    return {
      id: String(job.id),
      task: isSchedule ? 'schedule' : 'siteBuild',
      storyId: isSchedule && input?.storyId ? Number(input.storyId) : undefined,
      at: job.updatedAt,
      error: typeof error?.message === 'string' ? error.message : 'max retries reached',
    }
  })
}

/** The calendar's entries in [from, to): pending schedules and embargo ends. */
export async function deskSchedule({
  payload,
  from,
  to,
}: {
  payload: Payload
  from: Date
  to: Date
}): Promise<ScheduleItem[]> {
  return scheduleItems({ payload, from, to, schedules: await queuedSchedules({ payload, from, to }) })
}

/** 迟发/失败 since `since`: late and skipped runs, failed jobs, failed WeChat pushes. */
export async function deskTroubles({
  payload,
  since,
}: {
  payload: Payload
  since: Date
}): Promise<TroubleRow[]> {
  return recentTroubles({ payload, since, failedJobs: await failedJobs({ payload, since }) })
}
