import type { Endpoint } from 'payload'
import { isDatabaseAnswering, isDatabaseUnavailable } from '../../db/unavailable.ts'
import { readStoryPlans } from '../../publishing/plans/storyPlans.ts'
import { databaseUnavailable, refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * `GET /api/stories/:id/budgets`, for staff who may read the story: where it is planned (print
 * slots with their budget in 字, TV segments with pace, budget seconds and shots) and where
 * its WeChat notes point, so the editor's sidebar counts the body being typed against each
 * budget. Refusals: 401 not logged in, 400 a bad id, 404 no such story, 503 no database.
 */
export const budgetEndpoints: Endpoint[] = [
  {
    path: '/:id/budgets',
    method: 'get',
    handler: async (req) => {
      try {
        if (!req.user) {
          const hasCredential = Boolean(req.headers.get('authorization') || req.headers.get('cookie'))
          if (hasCredential && !(await isDatabaseAnswering(req.payload)))
            return refusalResponse(databaseUnavailable)
          return refusalResponse({
            code: 'unauthorized',
            reason: { en: 'log in to see the story’s budgets', zh: '请登录后查看稿件的字数预算' },
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
          select: { slug: true },
        })
        if (!story) {
          return refusalResponse({
            code: 'not_found',
            reason: { en: `there is no story ${storyId}`, zh: `没有稿件 ${storyId}` },
          })
        }
        const plans = await readStoryPlans({ payload: req.payload, story: { id: storyId, slug: story.slug } })
        return Response.json(plans, { headers: { 'Cache-Control': 'no-store' } })
      } catch (err) {
        if (isDatabaseUnavailable(err)) return refusalResponse(databaseUnavailable)
        req.payload.logger.error({ msg: 'the budgets endpoint failed', err })
        return refusalResponse({
          code: 'server_error',
          reason: { en: 'the story’s budgets could not be read', zh: '无法读取稿件的字数预算' },
        })
      }
    },
  },
]
