import type { Endpoint, PayloadRequest } from 'payload'
import { isDeskOrAdmin } from '../../access/roles.ts'
import { isDatabaseUnavailable } from '../../db/unavailable.ts'
import { pendingSchedules, STORY_SCHEDULE_TASK, type StoryScheduleInput } from '../../jobs/storySchedule.ts'
import { refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'
import { liveStages, SCHEDULE_API_CONTEXT_KEY, type Stage, stageLabels } from '../../workflow/stages.ts'
import { DEFAULT_TIME_ZONE, isKnownTimeZone, parseScheduleTime } from '../../workflow/zonedTime.ts'
import { SCHEDULE_AT_CONTEXT_KEY } from './hooks/enforceStoryChecks.ts'
import { storyHandler } from './storyGate.ts'

const reply = (status: number, body: unknown) => Response.json(body, { status })

/**
 * `POST /api/stories/:id/schedule` `{ action, at, timeZone? }`, `GET` the pending ones,
 * `DELETE /api/stories/:id/schedule/:scheduleId`: editors and admins only.
 */
export const scheduleEndpoints: Endpoint[] = [
  {
    path: '/:id/schedule',
    method: 'post',
    handler: scheduleHandler(createSchedule),
  },
  {
    path: '/:id/schedule',
    method: 'get',
    handler: scheduleHandler(async ({ req, storyId }) =>
      reply(200, { schedules: await pendingSchedules({ payload: req.payload, storyId }) }),
    ),
  },
  {
    path: '/:id/schedule/:scheduleId',
    method: 'delete',
    handler: scheduleHandler(cancelSchedule),
  },
]

/**
 * Runs `work` for an editor or admin and a story that exists (read as the server: an editor
 * may schedule any story). A database that does not answer is a 503 with Retry-After (never a
 * 404 for a story it could not read, nor a 401 for a token it could not check); any other
 * failure a logged 500 refusal.
 */
function scheduleHandler(work: (args: { req: PayloadRequest; storyId: number }) => Promise<Response>) {
  return storyHandler({
    gate: {
      login: { en: 'log in as an editor or admin', zh: '请以编辑或管理员身份登录' },
      only: {
        may: (req) => isDeskOrAdmin({ req }),
        reason: { en: 'only editors and admins schedule stories', zh: '只有编辑和管理员可以定时发布稿件' },
      },
      isServerRead: true,
    },
    failed: { en: 'the schedule could not be read or saved', zh: '无法读取或保存定时任务' },
    work: ({ req, story }) => work({ req, storyId: story.id }),
  })
}

async function createSchedule({ req, storyId }: { req: PayloadRequest; storyId: number }): Promise<Response> {
  const body: unknown = await req.json?.().catch(() => undefined)
  if (!body || typeof body !== 'object')
    return refusalResponse({
      code: 'bad_body',
      reason: {
        en: 'send a JSON object { action, at, timeZone? }',
        zh: '请发送 JSON 对象 { action, at, timeZone? }',
      },
    })
  const { action, at, timeZone = DEFAULT_TIME_ZONE } = body as Record<string, unknown>
  if (action !== 'publish' && action !== 'unpublish') {
    return refusalResponse({
      code: 'bad_action',
      reason: {
        en: 'action must be "publish" or "unpublish"',
        zh: 'action 必须是 "publish"（发布）或 "unpublish"（撤下）',
      },
    })
  }
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) {
    return refusalResponse({
      code: 'bad_time_zone',
      reason: {
        en: `timeZone must be an IANA zone such as "${DEFAULT_TIME_ZONE}"`,
        zh: `timeZone 必须是 IANA 时区，例如 "${DEFAULT_TIME_ZONE}"`,
      },
    })
  }
  const when = typeof at === 'string' ? parseScheduleTime({ at, timeZone }) : undefined
  if (!when)
    return refusalResponse({
      code: 'bad_time',
      reason: {
        en: 'at must be an ISO time, e.g. "2026-12-01T09:00" or "2026-12-01T01:00:00Z"',
        zh: 'at 必须是 ISO 时间，例如 "2026-12-01T09:00" 或 "2026-12-01T01:00:00Z"',
      },
    })

  const { payload } = req
  if (action === 'publish') {
    const earlier = (await pendingSchedules({ payload, storyId })).filter((old) => old.action === 'publish')
    const refusal = await moveStage({ req, storyId, stage: 'scheduled', at: when.toISOString() })
    if (refusal) return refusal
    // A new publish time replaces the old one.
    for (const old of earlier)
      await payload.delete({ collection: 'payload-jobs', id: old.id, overrideAccess: true })
  }
  if (action === 'unpublish') {
    const refusal = await refuseUnfireableUnpublish({ req, storyId, when })
    if (refusal) return refusal
  }
  const input: StoryScheduleInput = { storyId, action, at: when.toISOString(), timeZone }
  const job = await payload.jobs.queue({ task: STORY_SCHEDULE_TASK, input, waitUntil: when })
  return reply(201, { schedule: { id: String(job.id), action, at: input.at, timeZone } })
}

async function cancelSchedule({ req, storyId }: { req: PayloadRequest; storyId: number }): Promise<Response> {
  const { payload } = req
  const scheduleId = String(req.routeParams?.scheduleId)
  const pending = await pendingSchedules({ payload, storyId })
  const schedule = pending.find((candidate) => candidate.id === scheduleId)
  if (!schedule)
    return refusalResponse({
      code: 'not_found',
      reason: {
        en: `story ${storyId} has no pending schedule ${scheduleId}`,
        zh: `稿件 ${storyId} 没有待执行的定时任务 ${scheduleId}`,
      },
    })
  const isLastPublish =
    schedule.action === 'publish' &&
    !pending.some((other) => other !== schedule && other.action === 'publish')
  const story = await payload.findByID({
    collection: collectionSlugs.stories,
    id: storyId,
    draft: true,
    depth: 0,
  })
  if (isLastPublish && story.stage === 'scheduled') {
    const refusal = await moveStage({ req, storyId, stage: 'approved' })
    if (refusal) return refusal
  }
  await payload.delete({ collection: 'payload-jobs', id: scheduleId, overrideAccess: true })
  return reply(200, { cancelled: scheduleId })
}

/**
 * An unpublication can fire only on a live story: refused (409) unless the story is live now or
 * a pending publication puts it live before that time, so that no schedule is made that would
 * stand down when it comes.
 */
async function refuseUnfireableUnpublish({
  req,
  storyId,
  when,
}: {
  req: PayloadRequest
  storyId: number
  when: Date
}): Promise<Response | undefined> {
  const story = await req.payload.findByID({
    collection: collectionSlugs.stories,
    id: storyId,
    draft: true,
    depth: 0,
    overrideAccess: true,
  })
  if (liveStages.includes(story.stage as Stage)) return undefined
  const pending = await pendingSchedules({ payload: req.payload, storyId })
  if (pending.some((other) => other.action === 'publish' && new Date(other.at) < when)) return undefined
  const stage = stageLabels[(story.stage as Stage) ?? 'draft']
  return refusalResponse({
    code: 'bad_stage',
    reason: {
      en: `story ${storyId} is ${stage.en.toLowerCase()}, not live, and no publication is scheduled before that time: the unpublication could not fire`,
      zh: `稿件处于“${stage.zh}”，未发布，且此前没有定时发布：到时无法撤下`,
    },
  })
}

/**
 * Moves the story in or out of `scheduled` as the requesting editor; a 409 saying why when
 * refused (by the workflow, or by the pre-publication check, which is told the time asked for).
 */
async function moveStage({
  req,
  storyId,
  stage,
  at,
}: {
  req: PayloadRequest
  storyId: number
  stage: 'scheduled' | 'approved'
  /** The publication's time, when scheduling one. */
  at?: string
}): Promise<Response | undefined> {
  try {
    await req.payload.update({
      collection: collectionSlugs.stories,
      id: storyId,
      data: { stage },
      draft: true,
      user: req.user,
      overrideAccess: false,
      context: { [SCHEDULE_API_CONTEXT_KEY]: true, ...(at ? { [SCHEDULE_AT_CONTEXT_KEY]: at } : {}) },
    })
    return undefined
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err
    // The workflow's own message says why, in both languages already.
    const message = validationMessage(err)
    return refusalResponse({ code: 'bad_stage', reason: { en: message, zh: message } })
  }
}

function validationMessage(err: unknown): string {
  const errors = (err as { data?: { errors?: { message: string }[] } }).data?.errors
  return (
    errors?.map((error) => error.message).join('; ') || (err instanceof Error ? err.message : String(err))
  )
}
