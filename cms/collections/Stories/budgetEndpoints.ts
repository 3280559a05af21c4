import type { Endpoint } from 'payload'
import { readStoryPlans } from '../../publishing/plans/storyPlans.ts'
import { storyHandler } from './storyGate.ts'

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
    handler: storyHandler({
      gate: { login: { en: 'log in to see the story’s budgets', zh: '请登录后查看稿件的字数预算' } },
      failed: { en: 'the story’s budgets could not be read', zh: '无法读取稿件的字数预算' },
      work: async ({ req, story }) => {
        const plans = await readStoryPlans({ payload: req.payload, story })
        return Response.json(plans, { headers: { 'Cache-Control': 'no-store' } })
      },
    }),
  },
]
