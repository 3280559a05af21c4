import { describe, expect, it } from 'vitest'
import {
  beijingDateKey,
  beijingDay,
  beijingMonth,
  beijingWallClock,
  beijingWeek,
  parseBeijingDateKey,
} from '../../cms/lib/beijingDays.ts'

describe('Beijing days', () => {
  it('counts a day from Beijing midnight, whatever the UTC date', () => {
    // 07:30 in Beijing on the 7th is 23:30 UTC on the 6th.
    const at = new Date('2026-12-06T23:30:00Z')
    expect(beijingDateKey(at)).toBe('2026-12-07')
    expect(beijingDay(at)).toEqual({
      from: new Date('2026-12-06T16:00:00Z'),
      to: new Date('2026-12-07T16:00:00Z'),
    })
    expect(beijingWallClock(at)).toBe('2026-12-07T07:30')
  })

  it('starts a week on Monday and a month on its first', () => {
    // Sunday 13 December 2026, 23:00 in Beijing: still the week of Monday the 7th.
    const sunday = new Date('2026-12-13T23:00:00+08:00')
    expect(beijingDateKey(beijingWeek(sunday).from)).toBe('2026-12-07')
    expect(beijingDateKey(beijingWeek(sunday).to)).toBe('2026-12-14')
    const month = beijingMonth(new Date('2026-12-31T23:59:00+08:00'))
    expect([beijingDateKey(month.from), beijingDateKey(month.to)]).toEqual(['2026-12-01', '2027-01-01'])
  })

  it('reads a date key as that day’s Beijing midnight, and refuses a date that is not one', () => {
    expect(parseBeijingDateKey('2026-12-07')?.toISOString()).toBe('2026-12-06T16:00:00.000Z')
    expect(parseBeijingDateKey('2026-02-30')).toBeUndefined()
    expect(parseBeijingDateKey('明天')).toBeUndefined()
  })
})
