import { apiLimits } from './apiLimits.ts'
import { refusalResponse } from './refusal.ts'

/** Why this URL's query is refused, or null when it is fine. */
export function checkQuery({ url, method }: { url: URL; method: string }): Response | null {
  const raw = url.search.slice(1)
  if (raw.length > apiLimits.maxQueryLength)
    return refusalResponse({
      code: 'query_too_long',
      reason: {
        en: `The query string is too long (at most ${apiLimits.maxQueryLength} characters)`,
        zh: `查询字符串过长（上限 ${apiLimits.maxQueryLength} 字符）`,
      },
    })
  try {
    decodeURIComponent(raw.replaceAll('+', ' '))
  } catch {
    return refusalResponse({
      code: 'malformed_query',
      reason: { en: 'The query string is not valid percent-encoding', zh: '查询字符串编码错误' },
    })
  }
  const params = [...url.searchParams]
  if (params.length > apiLimits.maxQueryParameters)
    return refusalResponse({
      code: 'too_many_parameters',
      reason: {
        en: `Too many query parameters (at most ${apiLimits.maxQueryParameters})`,
        zh: `查询参数过多（上限 ${apiLimits.maxQueryParameters}）`,
      },
    })
  for (const [key, value] of params) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(key + value))
      return refusalResponse({
        code: 'control_characters',
        reason: { en: 'The query contains control characters', zh: '查询中含有控制字符' },
      })
    if ((key.match(/\[/g)?.length ?? 0) > apiLimits.maxQueryNesting)
      return refusalResponse({
        code: 'query_too_deep',
        reason: {
          en: `The where query is nested too deeply (at most ${apiLimits.maxQueryNesting} levels)`,
          zh: `查询条件嵌套过深（上限 ${apiLimits.maxQueryNesting} 层）`,
        },
      })
  }
  const limit = url.searchParams.get('limit')
  if (limit !== null && method === 'GET' && !isWholeNumber(limit, { min: 1, max: apiLimits.maxLimit }))
    return refusalResponse({
      code: 'bad_limit',
      reason: {
        en: `limit must be a whole number from 1 to ${apiLimits.maxLimit}`,
        zh: `limit 必须是 1 到 ${apiLimits.maxLimit} 的整数`,
      },
    })
  if (limit !== null && method !== 'GET' && !isWholeNumber(limit, { min: 0, max: apiLimits.maxLimit }))
    return refusalResponse({
      code: 'bad_limit',
      reason: {
        en: `limit must be a whole number up to ${apiLimits.maxLimit}`,
        zh: `limit 必须是 0 到 ${apiLimits.maxLimit} 的整数`,
      },
    })
  const depth = url.searchParams.get('depth')
  if (depth !== null && !isWholeNumber(depth, { min: 0, max: apiLimits.maxDepth }))
    return refusalResponse({
      code: 'bad_depth',
      reason: {
        en: `depth must be a whole number from 0 to ${apiLimits.maxDepth}`,
        zh: `depth 必须是 0 到 ${apiLimits.maxDepth} 的整数`,
      },
    })
  const page = url.searchParams.get('page')
  if (page !== null && !isWholeNumber(page, { min: 1, max: apiLimits.maxPage }))
    return refusalResponse({
      code: 'bad_page',
      reason: { en: 'page must be a positive whole number', zh: 'page 必须是正整数' },
    })
  if (method === 'GET' && url.searchParams.get('pagination') === 'false')
    return refusalResponse({
      code: 'pagination_required',
      reason: { en: 'Lists are always paginated: use limit and page', zh: '列表必须分页' },
    })
  return null
}

function isWholeNumber(value: string, { min, max }: { min: number; max: number }): boolean {
  if (!/^\d{1,10}$/.test(value)) return false
  const number = Number(value)
  return number >= min && number <= max
}
