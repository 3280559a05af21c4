'use client'
import { useCallback, useEffect, useState } from 'react'
import {
  addDays,
  beijingDateKey,
  beijingDateOf,
  beijingHourMinute,
  beijingMonth,
  beijingWeek,
} from '../../lib/beijingDays.ts'
import type { ScheduleItem } from '../../publishing/desk/scheduleItems.ts'
import { refusalLine } from '../deskFormat.ts'
import { scheduleKindWords, storyHref } from './deskWords.ts'
import { ScheduleItemCard } from './ScheduleItemCard.tsx'

type Mode = 'week' | 'month'

const weekdays = ['一', '二', '三', '四', '五', '六', '日']
const ERROR_COLOUR = '#b42318'

/**
 * 排期: a week or a month (周 / 月, previous and next) of pending publications, unpublications
 * and embargo ends in Beijing time, from `GET /api/schedule`; each entry links to its story,
 * and a schedule can be cancelled (取消定时) or moved (改期) through the schedule API, whose
 * refusal is shown as the server gave it.
 */
export function ScheduleCalendar() {
  const [mode, setMode] = useState<Mode>('week')
  const [anchor, setAnchor] = useState(() => new Date())
  const [items, setItems] = useState<ScheduleItem[] | null>(null)
  const [error, setError] = useState('')
  const [isHydrated, setIsHydrated] = useState(false)
  const range = calendarWindow({ mode, anchor })
  const fromKey = beijingDateKey(range.from)
  const toKey = beijingDateKey(range.to)

  const load = useCallback(async () => {
    const response = await fetch(`/api/schedule?from=${fromKey}&to=${toKey}`, { credentials: 'include' })
    if (!response.ok) {
      setError(await refusalLine(response))
      return
    }
    setItems(((await response.json()) as { items: ScheduleItem[] }).items)
  }, [fromKey, toKey])

  useEffect(() => {
    setItems(null)
    load().catch((err: unknown) => setError(`无法读取排期：${String(err)}`))
  }, [load])

  // Marks the calendar as hydrated: its buttons answer clicks from then on.
  useEffect(() => setIsHydrated(true), [])

  const step = (direction: 1 | -1) => {
    if (mode === 'week') setAnchor((at) => addDays(at, 7 * direction))
    else setAnchor((at) => addDays(beijingMonth(at).from, direction === 1 ? 40 : -10))
  }
  const days = daysOf(range)
  const todayKey = beijingDateKey(new Date())

  return (
    <section data-schedule-calendar data-mode={mode} data-hydrated={isHydrated || undefined}>
      <div
        style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', flexWrap: 'wrap', margin: '0 0 1rem' }}
      >
        <button type="button" onClick={() => step(-1)} data-calendar-previous>
          {mode === 'week' ? '上一周' : '上个月'}
        </button>
        <button type="button" onClick={() => setAnchor(new Date())}>
          今天
        </button>
        <button type="button" onClick={() => step(1)} data-calendar-next>
          {mode === 'week' ? '下一周' : '下个月'}
        </button>
        <strong data-calendar-title style={{ margin: '0 1rem' }}>
          {titleOf({ mode, anchor, range })}
        </strong>
        <span style={{ opacity: 0.7 }}>北京时间</span>
        <fieldset style={{ marginLeft: 'auto', display: 'flex', gap: '0.25rem', border: 0, padding: 0 }}>
          <legend style={{ position: 'absolute', left: '-9999px' }}>视图</legend>
          {(['week', 'month'] as const).map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={mode === option}
              data-calendar-mode={option}
              onClick={() => setMode(option)}
              style={mode === option ? { fontWeight: 'bold' } : undefined}
            >
              {option === 'week' ? '周' : '月'}
            </button>
          ))}
        </fieldset>
      </div>
      {error ? (
        <p data-calendar-error role="alert" style={{ color: ERROR_COLOUR }}>
          {error}
        </p>
      ) : null}
      <div style={gridStyle} data-calendar-grid aria-busy={items === null}>
        {weekdays.map((weekday) => (
          <div key={weekday} style={{ fontWeight: 'bold', padding: '0.25rem' }}>
            周{weekday}
          </div>
        ))}
        {days.map((day) => {
          const key = beijingDateKey(day)
          const dayItems = (items ?? []).filter((item) => beijingDateKey(new Date(item.at)) === key)
          const isOtherMonth = mode === 'month' && beijingDateOf(day).month !== beijingDateOf(anchor).month
          return (
            <div
              key={key}
              data-day={key}
              style={{
                ...dayStyle,
                minHeight: mode === 'week' ? '24rem' : '7rem',
                opacity: isOtherMonth ? 0.55 : 1,
                outline: key === todayKey ? '2px solid var(--theme-success-500)' : undefined,
              }}
            >
              <div style={{ fontSize: '0.85rem', opacity: 0.75 }}>
                {beijingDateOf(day).month}月{beijingDateOf(day).day}日
              </div>
              {dayItems.map((item) => (
                <ScheduleItemCard
                  key={`${item.kind}-${item.scheduleId ?? item.storyId}`}
                  time={beijingHourMinute(new Date(item.at))}
                  kind={scheduleKindWords[item.kind].zh}
                  href={storyHref(item.storyId)}
                  item={item}
                  onChanged={() => {
                    setError('')
                    return load()
                  }}
                  onRefused={setError}
                />
              ))}
            </div>
          )
        })}
      </div>
    </section>
  )
}

/** The days shown: a week from Monday, or the whole weeks that hold the month. */
function calendarWindow({ mode, anchor }: { mode: Mode; anchor: Date }): { from: Date; to: Date } {
  if (mode === 'week') return beijingWeek(anchor)
  const month = beijingMonth(anchor)
  return { from: beijingWeek(month.from).from, to: beijingWeek(addDays(month.to, -1)).to }
}

function daysOf({ from, to }: { from: Date; to: Date }): Date[] {
  const days: Date[] = []
  for (let day = from; day < to; day = addDays(day, 1)) days.push(day)
  return days
}

function titleOf({ mode, anchor, range }: { mode: Mode; anchor: Date; range: { from: Date; to: Date } }) {
  if (mode === 'month') {
    const { year, month } = beijingDateOf(anchor)
    return `${year}年${month}月`
  }
  const first = beijingDateOf(range.from)
  const last = beijingDateOf(addDays(range.to, -1))
  return `${first.year}年${first.month}月${first.day}日 – ${last.month}月${last.day}日`
}

const gridStyle = {
  display: 'grid',
  gridTemplateColumns: 'repeat(7, minmax(0, 1fr))',
  gap: '2px',
  background: 'var(--theme-elevation-100)',
  border: '1px solid var(--theme-elevation-100)',
}
const dayStyle = {
  background: 'var(--theme-elevation-0)',
  padding: '0.35rem',
  display: 'flex',
  flexDirection: 'column' as const,
  gap: '0.35rem',
}
