import type { Endpoint, PayloadRequest } from 'payload'
import { isDeskOrAdmin } from '../../access/roles.ts'
import { isDatabaseAnswering, isDatabaseUnavailable } from '../../db/unavailable.ts'
import { deskSchedule } from '../../jobs/scheduleQueue.ts'
import { addDays, beijingDayStart, parseBeijingDateKey } from '../../lib/beijingDays.ts'
import { databaseUnavailable, refusalResponse } from '../../security/refusal.ts'
import { DEFAULT_TIME_ZONE, parseScheduleTime } from '../../workflow/zonedTime.ts'

/** The longest window one request may ask for: a month view shows six weeks at most. */
export const MAX_SCHEDULE_WINDOW_DAYS = 92
const DEFAULT_WINDOW_DAYS = 7

/**
 * `GET /api/schedule?from=&to=`: every story's pending publications and unpublications and the
 * embargoes ending in [from, to), for the calendar. `from` and `to` are Beijing dates
 * (`2026-12-07`, that day's midnight) or ISO times; by default today and the six days after.
 * The desk and admins only.
 */
export const deskScheduleEndpoint: Endpoint = {
  path: '/schedule',
  method: 'get',
  handler: async (req) => {
    try {
      const refusal = await refuseCaller(req)
      if (refusal) return refusal
      const window = readWindow(req.searchParams)
      if ('reason' in window) return refusalResponse({ code: 'bad_time', reason: window.reason })
      const items = await deskSchedule({ payload: req.payload, ...window })
      return Response.json(
        { from: window.from.toISOString(), to: window.to.toISOString(), items },
        { headers: { 'Cache-Control': 'no-store' } },
      )
    } catch (err) {
      if (isDatabaseUnavailable(err)) return refusalResponse(databaseUnavailable)
      req.payload.logger.error({ msg: `${req.method} ${req.pathname} failed`, err })
      return refusalResponse({
        code: 'server_error',
        reason: { en: 'the schedule could not be read', zh: '无法读取排期' },
      })
    }
  },
}

async function refuseCaller(req: PayloadRequest): Promise<Response | undefined> {
  if (!req.user) {
    const hasCredential = Boolean(req.headers.get('authorization') || req.headers.get('cookie'))
    if (hasCredential && !(await isDatabaseAnswering(req.payload)))
      return refusalResponse(databaseUnavailable)
    return refusalResponse({
      code: 'unauthorized',
      reason: { en: 'log in as an editor or admin', zh: '请以编辑或管理员身份登录' },
    })
  }
  if (!isDeskOrAdmin({ req }))
    return refusalResponse({
      code: 'forbidden',
      reason: { en: 'only the desk and admins read the schedule', zh: '只有编辑部和管理员可以查看排期' },
    })
  return undefined
}

/** The window asked for, or why it cannot be read. */
export function readWindow(
  params: URLSearchParams,
  now = new Date(),
): { from: Date; to: Date } | { reason: { en: string; zh: string } } {
  const rawFrom = params.get('from')
  const rawTo = params.get('to')
  const from = rawFrom ? readTime(rawFrom) : beijingDayStart(now)
  const to = rawTo ? readTime(rawTo) : from && addDays(from, DEFAULT_WINDOW_DAYS)
  if (!from || !to)
    return {
      reason: {
        en: 'from and to must be Beijing dates ("2026-12-07") or ISO times ("2026-12-07T00:00:00+08:00")',
        zh: 'from 和 to 必须是日期（如 "2026-12-07"，北京时间）或 ISO 时间（如 "2026-12-07T00:00:00+08:00"）',
      },
    }
  if (to <= from) return { reason: { en: 'to must be after from', zh: 'to 必须晚于 from' } }
  if (to.getTime() - from.getTime() > MAX_SCHEDULE_WINDOW_DAYS * 24 * 3600_000)
    return {
      reason: {
        en: `ask for at most ${MAX_SCHEDULE_WINDOW_DAYS} days at a time`,
        zh: `一次最多查询 ${MAX_SCHEDULE_WINDOW_DAYS} 天`,
      },
    }
  return { from, to }
}

function readTime(raw: string): Date | undefined {
  return parseBeijingDateKey(raw) ?? parseScheduleTime({ at: raw, timeZone: DEFAULT_TIME_ZONE })
}
