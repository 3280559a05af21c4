import type { Endpoint, PayloadRequest } from 'payload'
import { isEditorOrAdmin } from '../../access/roles.ts'
import { pendingSchedules, STORY_SCHEDULE_TASK, type StoryScheduleInput } from '../../jobs/storySchedule.ts'
import { collectionSlugs } from '../../slugs.ts'
import { SCHEDULE_API_CONTEXT_KEY } from '../../workflow/stages.ts'
import { DEFAULT_TIME_ZONE, isKnownTimeZone, parseScheduleTime } from '../../workflow/zonedTime.ts'

const reply = (status: number, body: unknown) => Response.json(body, { status })
const refuse = (status: number, error: string, reason: string) => reply(status, { error, reason })

/**
 * `POST /api/stories/:id/schedule` `{ action, at, timeZone? }`, `GET` the pending ones,
 * `DELETE /api/stories/:id/schedule/:scheduleId`: editors and admins only.
 */
export const scheduleEndpoints: Endpoint[] = [
  {
    path: '/:id/schedule',
    method: 'post',
    handler: (req) => guarded(req, createSchedule),
  },
  {
    path: '/:id/schedule',
    method: 'get',
    handler: (req) =>
      guarded(req, async ({ storyId }) =>
        reply(200, { schedules: await pendingSchedules({ payload: req.payload, storyId }) }),
      ),
  },
  {
    path: '/:id/schedule/:scheduleId',
    method: 'delete',
    handler: (req) => guarded(req, cancelSchedule),
  },
]

async function guarded(
  req: PayloadRequest,
  work: (args: { req: PayloadRequest; storyId: number }) => Promise<Response>,
): Promise<Response> {
  if (!req.user) return refuse(401, 'unauthenticated', 'log in as an editor or admin')
  if (!isEditorOrAdmin({ req })) return refuse(403, 'forbidden', 'only editors and admins schedule stories')
  const storyId = Number(req.routeParams?.id)
  if (!Number.isInteger(storyId) || storyId <= 0)
    return refuse(400, 'bad-id', 'the story id must be a number')
  const story = await req.payload
    .findByID({
      collection: collectionSlugs.stories,
      id: storyId,
      draft: true,
      depth: 0,
      overrideAccess: true,
    })
    .catch(() => undefined)
  if (!story) return refuse(404, 'not-found', `there is no story ${storyId}`)
  return work({ req, storyId })
}

async function createSchedule({ req, storyId }: { req: PayloadRequest; storyId: number }): Promise<Response> {
  const body: unknown = await req.json?.().catch(() => undefined)
  if (!body || typeof body !== 'object')
    return refuse(400, 'bad-json', 'send a JSON object { action, at, timeZone? }')
  const { action, at, timeZone = DEFAULT_TIME_ZONE } = body as Record<string, unknown>
  if (action !== 'publish' && action !== 'unpublish') {
    return refuse(400, 'bad-action', 'action must be "publish" or "unpublish"')
  }
  if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) {
    return refuse(400, 'bad-time-zone', 'timeZone must be an IANA zone such as "Asia/Shanghai"')
  }
  const when = typeof at === 'string' ? parseScheduleTime({ at, timeZone }) : undefined
  if (!when)
    return refuse(
      400,
      'bad-time',
      'at must be an ISO time, e.g. "2026-12-01T09:00" or "2026-12-01T01:00:00Z"',
    )

  const { payload } = req
  if (action === 'publish') {
    const earlier = (await pendingSchedules({ payload, storyId })).filter((old) => old.action === 'publish')
    const refusal = await moveStage({ req, storyId, stage: 'scheduled' })
    if (refusal) return refusal
    // A new publish time replaces the old one.
    for (const old of earlier)
      await payload.delete({ collection: 'payload-jobs', id: old.id, overrideAccess: true })
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
  if (!schedule) return refuse(404, 'not-found', `story ${storyId} has no pending schedule ${scheduleId}`)
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

/** Moves the story in or out of `scheduled` as the requesting editor; a 409 saying why when refused. */
async function moveStage({
  req,
  storyId,
  stage,
}: {
  req: PayloadRequest
  storyId: number
  stage: 'scheduled' | 'approved'
}): Promise<Response | undefined> {
  try {
    await req.payload.update({
      collection: collectionSlugs.stories,
      id: storyId,
      data: { stage },
      draft: true,
      user: req.user,
      overrideAccess: false,
      context: { [SCHEDULE_API_CONTEXT_KEY]: true },
    })
    return undefined
  } catch (err) {
    return refuse(409, 'bad-stage', validationMessage(err))
  }
}

function validationMessage(err: unknown): string {
  const errors = (err as { data?: { errors?: { message: string }[] } }).data?.errors
  return (
    errors?.map((error) => error.message).join('; ') || (err instanceof Error ? err.message : String(err))
  )
}
