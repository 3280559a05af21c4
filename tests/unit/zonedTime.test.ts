import { describe, expect, it } from 'vitest'
import { isKnownTimeZone, parseScheduleTime } from '../../cms/workflow/zonedTime.ts'

describe('parseScheduleTime', () => {
  it.each([
    ['2026-12-01T09:00', 'Asia/Shanghai', '2026-12-01T01:00:00.000Z'],
    ['2026-12-01 09:30:15', 'Asia/Shanghai', '2026-12-01T01:30:15.000Z'],
    ['2026-07-01T09:00', 'Europe/Berlin', '2026-07-01T07:00:00.000Z'],
    ['2026-01-15T09:00', 'Europe/Berlin', '2026-01-15T08:00:00.000Z'],
    // the morning clocks go forward in New York: 04:00 EDT is 08:00 UTC
    ['2026-03-08T04:00', 'America/New_York', '2026-03-08T08:00:00.000Z'],
    ['2026-03-08T01:30', 'America/New_York', '2026-03-08T06:30:00.000Z'],
    ['2026-12-01T09:00:00+08:00', 'Europe/Berlin', '2026-12-01T01:00:00.000Z'],
    ['2026-12-01T01:00:00Z', 'Asia/Shanghai', '2026-12-01T01:00:00.000Z'],
  ])('%s in %s is %s', (at, timeZone, iso) => {
    expect(parseScheduleTime({ at, timeZone })?.toISOString()).toBe(iso)
  })

  it.each(['明天上午', '2026-13-45T99:00', '', '2026-12-01'])('refuses %j', (at) => {
    expect(parseScheduleTime({ at, timeZone: 'Asia/Shanghai' })).toBeUndefined()
  })

  it('knows real zones only', () => {
    expect(isKnownTimeZone('Asia/Shanghai')).toBe(true)
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false)
  })
})
