import { NotFound, type Payload, type TaskConfig } from 'payload'
import { StoryChecksError } from '../publishing/checks/checksError.ts'
import { collectionSlugs } from '../slugs.ts'
import { liveStages, type Stage } from '../workflow/stages.ts'

export const STORY_SCHEDULE_TASK = 'storySchedule'
/** A claim older than this belongs to a worker that died; another may take it over. */
export const CLAIM_LEASE_MS = 30_000
/** Fired later than this after its time, a schedule is reported as late. */
export const LATE_AFTER_MS = 5_000

/** How a schedule that failed for a passing reason is tried again (Payload's retry config). */
export const SCHEDULE_RETRIES = { attempts: 10, backoff: { type: 'exponential', delay: 2_000 } } as const

export type ScheduleAction = 'publish' | 'unpublish'
export type PendingSchedule = { id: string; action: ScheduleAction; at: string; timeZone: string }

export type StoryScheduleInput = {
  storyId: number
  action: ScheduleAction
  at: string
  timeZone: string
}

/**
 * Publishes or unpublishes a story at its time. Runs at most once per schedule: the first
 * worker to create the schedule's run row owns it; a run left claimed by a dead worker is
 * taken over after the lease, and acting on a story already in the target state is a no-op.
 */
export const storyScheduleTask: TaskConfig<{ input: StoryScheduleInput; output: { outcome: string } }> = {
  slug: STORY_SCHEDULE_TASK,
  // A database error (a restart, a dropped connection) fails the attempt and it runs again:
  // 2 s, 4 s, 8 s … about 34 minutes of attempts in all while the database answers with
  // errors. While it does not answer at all no attempt is used: the queue cannot be read.
  retries: SCHEDULE_RETRIES,
  inputSchema: [
    { name: 'storyId', type: 'number', required: true },
    { name: 'action', type: 'select', options: ['publish', 'unpublish'], required: true },
    { name: 'at', type: 'date', required: true },
    { name: 'timeZone', type: 'text', required: true },
  ],
  outputSchema: [{ name: 'outcome', type: 'text', required: true }],
  handler: async ({ input, job, req }) => {
    const { payload } = req
    const claimed = await claimRun({ payload, jobId: String(job.id), input })
    if (!claimed) return { output: { outcome: 'already run' } }
    const run = claimed.id
    const firedAt = new Date()
    const lateByMs = firedAt.getTime() - new Date(input.at).getTime()
    const isLate = lateByMs > LATE_AFTER_MS
    const acted = await act({ payload, input }).catch(async (err: unknown) => {
      // Release the claim so that the job's retry may run the schedule. When the database is
      // down the release fails too: the retry then takes the claim over once its lease is up.
      await payload
        .delete({ collection: collectionSlugs.scheduleRuns, id: run, overrideAccess: true })
        .catch((releaseError: unknown) => {
          payload.logger.warn({ msg: `schedule run ${run}: claim left to expire`, err: releaseError })
        })
      throw err
    })
    // An earlier attempt of this job that died after acting and before recording it left the
    // story as this schedule makes it: the schedule is done, not skipped.
    const note = claimed.tookOver && (await isAlreadyDone({ payload, input })) ? undefined : acted
    if (isLate) {
      payload.logger.warn({
        msg: `schedule fired late: ${input.action} story ${input.storyId} was due ${input.at}, ${Math.round(lateByMs / 1000)} s late`,
      })
    }
    await payload.update({
      collection: collectionSlugs.scheduleRuns,
      id: run,
      data: {
        status: note ? 'skipped' : 'done',
        firedAt: firedAt.toISOString(),
        isLate,
        lateBySeconds: Math.max(0, Math.round(lateByMs / 1000)),
        note,
      },
      overrideAccess: true,
    })
    return { output: { outcome: note ?? 'done' } }
  },
}

/** Does the schedule's action; returns why it did nothing, or undefined when it acted. */
async function act({
  payload,
  input,
}: {
  payload: Payload
  input: StoryScheduleInput
}): Promise<string | undefined> {
  // Only a story that is really gone skips the schedule; any other error (the database
  // restarting, a dropped connection) fails this attempt so that it is tried again.
  const story = await payload
    .findByID({
      collection: collectionSlugs.stories,
      id: input.storyId,
      draft: true,
      depth: 0,
      overrideAccess: true,
      disableErrors: false,
    })
    .catch((err: unknown) => {
      if (err instanceof NotFound) return undefined
      throw err
    })
  if (!story) return 'story no longer exists'
  const stage = story.stage as Stage
  if (input.action === 'publish') {
    if (stage !== 'scheduled') return `story is ${stage}, no longer scheduled`
    try {
      await payload.update({
        collection: collectionSlugs.stories,
        id: input.storyId,
        data: { _status: 'published' },
        overrideAccess: true,
      })
    } catch (err) {
      if (!(err instanceof StoryChecksError)) throw err
      return refusedByChecks({ payload, input, err })
    }
    return undefined
  }
  if (!liveStages.includes(stage)) return `story is ${stage}, not live`
  await payload.update({
    collection: collectionSlugs.stories,
    id: input.storyId,
    data: {
      _status: 'published',
      stage: 'withdrawn',
      withdrawnReason: story.withdrawnReason || '定时撤下（scheduled unpublish）',
    },
    overrideAccess: true,
  })
  return undefined
}

/**
 * A scheduled publication the pre-publication check refuses does not go live, and is not
 * retried: the story goes back to 已审定 (nothing waits for it any more) and the run's note
 * says why, each blocking finding in the editor's words.
 */
async function refusedByChecks({
  payload,
  input,
  err,
}: {
  payload: Payload
  input: StoryScheduleInput
  err: StoryChecksError
}): Promise<string> {
  await payload.update({
    collection: collectionSlugs.stories,
    id: input.storyId,
    data: { stage: 'approved' },
    draft: true,
    overrideAccess: true,
  })
  payload.logger.warn({
    msg: `scheduled publication of story ${input.storyId} refused by the pre-publication check`,
  })
  const findings = err.checks.map((check) => check.message.zh).join('；')
  return `发稿检查未通过，未发布，稿件退回“已审定”（failed the pre-publication check, not published）：${findings}`
}

/** Whether the story already stands as the schedule's action leaves it (published / withdrawn). */
async function isAlreadyDone({
  payload,
  input,
}: {
  payload: Payload
  input: StoryScheduleInput
}): Promise<boolean> {
  const story = await payload
    .findByID({ collection: collectionSlugs.stories, id: input.storyId, depth: 0, overrideAccess: true })
    .catch(() => undefined)
  if (!story) return false
  return input.action === 'publish'
    ? story._status === 'published' && story.stage === 'published'
    : story.stage === 'withdrawn'
}

/**
 * The run row this worker now owns (`tookOver` when an earlier attempt of the same job left it
 * claimed and died); undefined when the schedule has already run. A run another attempt still
 * holds within its lease throws, so the job is tried again (with backoff) rather than ended:
 * the holder may be a worker that died, whose claim this job takes over once its lease is up.
 */
export async function claimRun({
  payload,
  jobId,
  input,
}: {
  payload: Payload
  jobId: string
  input: StoryScheduleInput
}): Promise<{ id: number; tookOver: boolean } | undefined> {
  const now = new Date()
  try {
    const run = await payload.create({
      collection: collectionSlugs.scheduleRuns,
      data: {
        jobId,
        story: input.storyId,
        action: input.action,
        dueAt: input.at,
        status: 'claimed',
        claimedAt: now.toISOString(),
      },
      overrideAccess: true,
    })
    return { id: run.id, tookOver: false }
  } catch (err) {
    const existing = await payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: { jobId: { equals: jobId } },
      limit: 1,
      overrideAccess: true,
    })
    const run = existing.docs[0]
    if (!run) throw err
    if (run.status !== 'claimed') return undefined
    const isAbandoned = now.getTime() - new Date(run.claimedAt ?? 0).getTime() > CLAIM_LEASE_MS
    if (!isAbandoned)
      throw new Error(`schedule run ${run.id} is still held by an earlier attempt; trying again later`)
    const taken = await payload.update({
      collection: collectionSlugs.scheduleRuns,
      where: { and: [{ id: { equals: run.id } }, { claimedAt: { equals: run.claimedAt } }] },
      data: { claimedAt: now.toISOString() },
      overrideAccess: true,
    })
    return taken.docs.length === 1 ? { id: run.id, tookOver: true } : undefined
  }
}

/** Every schedule that has not fired yet, with its job's id, in order of the queue's next try. */
export async function openScheduleJobs({
  payload,
}: {
  payload: Payload
}): Promise<{ id: string; input: StoryScheduleInput }[]> {
  const { docs } = await payload.find({
    collection: 'payload-jobs',
    sort: 'waitUntil',
    where: {
      and: [
        { taskSlug: { equals: STORY_SCHEDULE_TASK } },
        { completedAt: { exists: false } },
        // A job that failed for good is no longer pending: 迟发/失败 and the job log list it.
        { hasError: { not_equals: true } },
      ],
    },
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  return docs.flatMap((job) => {
    const input = job.input as StoryScheduleInput | undefined
    return input ? [{ id: String(job.id), input }] : []
  })
}

/** The story's schedules that have not fired yet, soonest first. */
export async function pendingSchedules({
  payload,
  storyId,
}: {
  payload: Payload
  storyId: number
}): Promise<PendingSchedule[]> {
  return (await openScheduleJobs({ payload }))
    .filter(({ input }) => Number(input.storyId) === storyId)
    .map(({ id, input }) => ({ id, action: input.action, at: input.at, timeZone: input.timeZone }))
}
