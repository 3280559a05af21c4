import type { Endpoint, PayloadRequest } from 'payload'
import { roleOf } from '../../access/roles.ts'
import { isDatabaseAnswering, isDatabaseUnavailable } from '../../db/unavailable.ts'
import { pendingSchedules } from '../../jobs/storySchedule.ts'
import { checkStory, isBlocking } from '../../publishing/checks/checkStory.ts'
import { databaseUnavailable, refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * `GET /api/stories/:id/checks`: the pre-publication check (发稿检查) of the story's latest
 * version, draft or not, for staff who may read the story:
 * `{ storyId, checkedAt, blocking, checks: [{ code, severity, field, message: { zh, en } }] }`.
 * Refusals as the house answers them: 401 not logged in, 403 not staff, 400 a bad id, 404 no
 * such story, 503 the database not answering.
 */
export const checksEndpoints: Endpoint[] = [{ path: '/:id/checks', method: 'get', handler: storyChecks }]

async function storyChecks(req: PayloadRequest): Promise<Response> {
  try {
    if (!req.user) {
      const hasCredential = Boolean(req.headers.get('authorization') || req.headers.get('cookie'))
      if (hasCredential && !(await isDatabaseAnswering(req.payload)))
        return refusalResponse(databaseUnavailable)
      return refusalResponse({
        code: 'unauthorized',
        reason: { en: 'log in to see the checks of a story', zh: '请登录后查看发稿检查' },
      })
    }
    if (!roleOf(req)) {
      return refusalResponse({
        code: 'forbidden',
        reason: {
          en: 'only the newsroom staff see the checks of a story',
          zh: '只有编辑部人员可以查看发稿检查',
        },
      })
    }
    const storyId = Number(req.routeParams?.id)
    if (!Number.isInteger(storyId) || storyId <= 0) {
      return refusalResponse({
        code: 'bad_id',
        reason: { en: 'the story id must be a number', zh: '稿件 id 必须是数字' },
      })
    }
    const story = await req.payload.findByID({
      collection: collectionSlugs.stories,
      id: storyId,
      draft: true,
      depth: 0,
      overrideAccess: false,
      user: req.user,
      disableErrors: true,
      req,
    })
    if (!story) {
      return refusalResponse({
        code: 'not_found',
        reason: { en: `there is no story ${storyId}`, zh: `没有稿件 ${storyId}` },
      })
    }
    const now = new Date()
    const schedules = await pendingSchedules({ payload: req.payload, storyId })
    const checks = await checkStory({ payload: req.payload, story, now, req, schedules })
    return Response.json(
      { storyId, checkedAt: now.toISOString(), blocking: checks.filter(isBlocking).length, checks },
      { headers: { 'Cache-Control': 'no-store' } },
    )
  } catch (err) {
    if (isDatabaseUnavailable(err)) return refusalResponse(databaseUnavailable)
    req.payload.logger.error({ msg: 'the story checks endpoint failed', err })
    return refusalResponse({
      code: 'server_error',
      reason: { en: 'the checks of the story could not be run', zh: '无法完成发稿检查' },
    })
  }
}
