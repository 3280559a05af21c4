import type { Endpoint } from 'payload'
import { roleOf } from '../../access/roles.ts'
import { pendingSchedules } from '../../jobs/storySchedule.ts'
import { checkStory, isBlocking } from '../../publishing/checks/checkStory.ts'
import { storyHandler } from './storyGate.ts'

/**
 * `GET /api/stories/:id/checks`: the pre-publication check (发稿检查) of the story's latest
 * version, draft or not, for staff who may read the story:
 * `{ storyId, checkedAt, blocking, checks: [{ code, severity, field, message: { zh, en } }] }`.
 * Refusals as the house answers them: 401 not logged in, 403 not staff, 400 a bad id, 404 no
 * such story, 503 the database not answering.
 */
export const checksEndpoints: Endpoint[] = [
  {
    path: '/:id/checks',
    method: 'get',
    handler: storyHandler({
      gate: {
        login: { en: 'log in to see the checks of a story', zh: '请登录后查看发稿检查' },
        only: {
          may: (req) => Boolean(roleOf(req)),
          reason: {
            en: 'only the newsroom staff see the checks of a story',
            zh: '只有编辑部人员可以查看发稿检查',
          },
        },
      },
      failed: { en: 'the checks of the story could not be run', zh: '无法完成发稿检查' },
      work: async ({ req, story }) => {
        const now = new Date()
        const schedules = await pendingSchedules({ payload: req.payload, storyId: story.id })
        const checks = await checkStory({ payload: req.payload, story, now, req, schedules })
        return Response.json(
          {
            storyId: story.id,
            checkedAt: now.toISOString(),
            blocking: checks.filter(isBlocking).length,
            checks,
          },
          { headers: { 'Cache-Control': 'no-store' } },
        )
      },
    }),
  },
]
