/**
 * `2026年12月1日`: the day an episode airs, in Beijing time. Takes an ISO date-time (a Payload
 * date field: `2026-11-30T16:00:00.000Z` is 1 December in Beijing) or a bare `YYYY-MM-DD`.
 */
export function describeAirDate(airDate: string): string {
  const parsed = Date.parse(airDate)
  if (Number.isNaN(parsed)) throw new RangeError(`air date is not a date: ${JSON.stringify(airDate)}`)
  const day = /^\d{4}-\d{2}-\d{2}$/.test(airDate)
    ? airDate
    : new Date(parsed + 8 * 3_600_000).toISOString().slice(0, 10)
  const [year, month, date] = day.split('-').map(Number)
  return `${year}年${month}月${date}日`
}
