import type { Endpoint } from 'payload'
import { isDatabaseUnavailable } from '../../db/unavailable.ts'
import { databaseUnavailable, type RefusalArgs, refusalResponse } from '../../security/refusal.ts'
import {
  isSearchTimeout,
  MAX_SEARCH_PAGE,
  SEARCH_STATEMENT_TIMEOUT_MS,
  searchStories,
} from './searchQuery.ts'
import { MAX_TERM_LENGTH, normalizeTerm, termTokens } from './searchTerms.ts'

/** How long a browser or CDN may reuse an answer: a publish or withdrawal shows within this. */
export const SEARCH_MAX_AGE_S = 5

/**
 * `GET /api/search?q=<term>&page=<n>`: the live stories holding the term (see searchStories),
 * for the site's search page. Public and the same for everyone (no cookies read, nothing
 * personal), so any origin may ask (the site on a CDN) and a cache may keep it a few seconds.
 */
export const searchEndpoint: Endpoint = {
  path: '/search',
  method: 'get',
  handler: async (req) => {
    const raw = req.searchParams.get('q') ?? ''
    const pageParam = req.searchParams.get('page')
    const page =
      pageParam === null || pageParam === '' ? 1 : /^\d{1,3}$/.test(pageParam) ? Number(pageParam) : 0
    const refused = refusalOf({ raw, page })
    if (refused) return refusalResponse({ ...refused, headers: corsHeaders })
    try {
      const answer = await searchStories({ payload: req.payload, term: raw, page })
      return Response.json(answer, {
        headers: {
          ...corsHeaders,
          'Cache-Control': `public, max-age=${SEARCH_MAX_AGE_S}`,
          'X-Content-Type-Options': 'nosniff',
        },
      })
    } catch (err) {
      if (isDatabaseUnavailable(err)) return refusalResponse({ ...databaseUnavailable, headers: corsHeaders })
      if (isSearchTimeout(err)) return refusalResponse(searchTimedOut)
      throw err
    }
  },
}

const corsHeaders = { 'Access-Control-Allow-Origin': '*' }

/** The search ran past its statement timeout: the database is busy; the client may retry. */
const searchTimedOut: RefusalArgs = {
  code: 'unavailable',
  reason: {
    en: `The search took longer than ${SEARCH_STATEMENT_TIMEOUT_MS / 1000} s and was stopped; try again in a few seconds`,
    zh: `搜索超过 ${SEARCH_STATEMENT_TIMEOUT_MS / 1000} 秒未完成，已停止，请几秒后重试`,
  },
  headers: { ...corsHeaders, 'Retry-After': '5' },
}

function refusalOf({ raw, page }: { raw: string; page: number }): RefusalArgs | null {
  const term = normalizeTerm(raw)
  if (term === '')
    return { code: 'bad_request', reason: { en: 'Give a search term: ?q=<term>', zh: '请输入搜索词（?q=）' } }
  if (Array.from(term).length > MAX_TERM_LENGTH)
    return {
      code: 'bad_request',
      reason: {
        en: `The search term is longer than ${MAX_TERM_LENGTH} characters`,
        zh: `搜索词不能超过 ${MAX_TERM_LENGTH} 个字`,
      },
    }
  if (termTokens(term).length === 0)
    return {
      code: 'bad_request',
      reason: { en: 'The search term has no letters, digits or characters', zh: '搜索词中没有可搜索的字词' },
    }
  if (page < 1 || page > MAX_SEARCH_PAGE)
    return {
      code: 'bad_page',
      reason: {
        en: `page must be from 1 to ${MAX_SEARCH_PAGE}`,
        zh: `page 必须在 1 到 ${MAX_SEARCH_PAGE} 之间`,
      },
    }
  return null
}
