/**
 * Days, weeks and months as the newsroom counts them: in Beijing time, which has kept UTC+8
 * all year since 1991 (no daylight saving), so a Beijing day is a fixed 24-hour window of UTC.
 * Pure: the instant is always passed in.
 */
const OFFSET_MS = 8 * 3600_000
const DAY_MS = 24 * 3600_000

/** A Beijing calendar date: year, month 1–12, day 1–31. */
export type BeijingDate = { year: number; month: number; day: number }

/** The Beijing date an instant falls on. */
export function beijingDateOf(at: Date): BeijingDate {
  const shifted = new Date(at.getTime() + OFFSET_MS)
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

/** Midnight (00:00 Beijing time) at the start of a Beijing date, as an instant; days past the month's end roll over. */
export function beijingMidnight({ year, month, day }: BeijingDate): Date {
  return new Date(Date.UTC(year, month - 1, day) - OFFSET_MS)
}

/** The start of the Beijing day `at` falls in. */
export function beijingDayStart(at: Date): Date {
  return beijingMidnight(beijingDateOf(at))
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS)
}

/** The Beijing day `at` falls in, as the window [start, end). */
export function beijingDay(at: Date): { from: Date; to: Date } {
  const from = beijingDayStart(at)
  return { from, to: addDays(from, 1) }
}

/** The week (Monday to Sunday, as Chinese calendars print it) `at` falls in, as [start, end). */
export function beijingWeek(at: Date): { from: Date; to: Date } {
  const dayStart = beijingDayStart(at)
  // 0 for Monday … 6 for Sunday.
  const weekday = (new Date(dayStart.getTime() + OFFSET_MS).getUTCDay() + 6) % 7
  const from = addDays(dayStart, -weekday)
  return { from, to: addDays(from, 7) }
}

/** The calendar month `at` falls in, as [start, end). */
export function beijingMonth(at: Date): { from: Date; to: Date } {
  const { year, month } = beijingDateOf(at)
  return {
    from: beijingMidnight({ year, month, day: 1 }),
    to: beijingMidnight({ year, month: month + 1, day: 1 }),
  }
}

/** `2026-12-06`: the Beijing date as a key (and as a URL parameter). */
export function beijingDateKey(at: Date): string {
  const { year, month, day } = beijingDateOf(at)
  return `${year}-${pad(month)}-${pad(day)}`
}

/** `2026-12-06T09:14`: the Beijing wall-clock minute, as a `datetime-local` input holds it. */
export function beijingWallClock(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 16)
}

/** `09:14`, in Beijing time. */
export function beijingHourMinute(at: Date): string {
  return beijingWallClock(at).slice(11)
}

/** Reads `2026-12-06` as that Beijing date's midnight; undefined for anything that is not a real date. */
export function parseBeijingDateKey(key: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key)
  if (!match) return undefined
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  const midnight = beijingMidnight({ year, month, day })
  const back = beijingDateOf(midnight)
  return back.month === month && back.day === day ? midnight : undefined
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** A time as the desk reads it, in Beijing time: `12月6日 09:14`; '' for none or an invalid one. */
export function deskTime(at: string | Date | null | undefined): string {
  if (!at) return ''
  const date = at instanceof Date ? at : new Date(at)
  if (Number.isNaN(date.getTime())) return ''
  const { month, day } = beijingDateOf(date)
  return `${month}月${day}日 ${beijingHourMinute(date)}`
}
