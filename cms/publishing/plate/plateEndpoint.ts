import type { Endpoint } from 'payload'
import { refusalResponse } from '../../security/refusal.ts'
import { MAX_PLATE_PAGE_SIZE, readPublishedPage } from './readPublishedStories.ts'

/**
 * `GET /api/plate/stories?page=&limit=`: the public plate, page by page, for a site built
 * elsewhere. Always the anonymous reader's view, whoever asks.
 */
export const plateEndpoint: Endpoint = {
  path: '/plate/stories',
  method: 'get',
  handler: async (req) => {
    const page = wholeNumber(req.searchParams.get('page'), 1)
    const limit = wholeNumber(req.searchParams.get('limit'), 100)
    if (page === null || page < 1 || limit === null || limit < 1 || limit > MAX_PLATE_PAGE_SIZE) {
      return refusalResponse({
        code: 'bad_request',
        reason: {
          en: `page must be ≥ 1 and limit from 1 to ${MAX_PLATE_PAGE_SIZE}`,
          zh: `page 必须 ≥ 1，limit 必须在 1 到 ${MAX_PLATE_PAGE_SIZE} 之间`,
        },
      })
    }
    return Response.json(await readPublishedPage({ payload: req.payload, page, limit }), {
      headers: { 'Cache-Control': 'public, max-age=0, must-revalidate' },
    })
  },
}

function wholeNumber(raw: string | null, fallback: number): number | null {
  if (raw === null || raw === '') return fallback
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null
}
