'use client'
import { useState } from 'react'
import { beijingWallClock } from '../../lib/beijingDays.ts'
import type { ScheduleItem } from '../../publishing/desk/scheduleItems.ts'
import { refusalLine } from '../deskFormat.ts'

const BEIJING = 'Asia/Shanghai'

/**
 * One entry of the calendar: its time, what happens then and the story (a link). A schedule
 * (not an embargo's end) has 改期 and 取消定时, both through the story's schedule API: a
 * publication is moved by asking for the new time (the API replaces the old one only when the
 * new one is accepted); an unpublication by asking for the new one and then cancelling the old.
 */
export function ScheduleItemCard({
  time,
  kind,
  href,
  item,
  onChanged,
  onRefused,
}: {
  time: string
  kind: string
  href: string
  item: ScheduleItem
  onChanged: () => Promise<void>
  onRefused: (reason: string) => void
}) {
  const [open, setOpen] = useState<'move' | 'cancel' | null>(null)
  const [at, setAt] = useState(() => beijingWallClock(new Date(item.at)))
  const [isBusy, setIsBusy] = useState(false)
  const scheduleApi = `/api/stories/${item.storyId}/schedule`

  const run = async (work: () => Promise<Response | undefined>) => {
    setIsBusy(true)
    try {
      const refused = await work()
      if (refused) {
        onRefused(await refusalLine(refused))
        return
      }
      setOpen(null)
      await onChanged()
    } catch (err) {
      onRefused(`操作失败：${String(err)}`)
    } finally {
      setIsBusy(false)
    }
  }

  const cancel = () =>
    run(async () => {
      const response = await fetch(`${scheduleApi}/${item.scheduleId}`, {
        method: 'DELETE',
        credentials: 'include',
      })
      return response.ok ? undefined : response
    })

  const move = () =>
    run(async () => {
      const response = await fetch(scheduleApi, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: item.kind, at, timeZone: BEIJING }),
      })
      if (!response.ok) return response
      if (item.kind === 'publish') return undefined
      const old = await fetch(`${scheduleApi}/${item.scheduleId}`, {
        method: 'DELETE',
        credentials: 'include',
      })
      return old.ok ? undefined : old
    })

  return (
    <div
      data-calendar-item={item.kind}
      data-story-id={item.storyId}
      data-at={item.at}
      style={{
        fontSize: '0.85rem',
        padding: '0.3rem',
        borderRadius: 3,
        borderLeft: `3px solid ${item.kind === 'embargo' ? 'var(--theme-warning-500)' : item.kind === 'unpublish' ? 'var(--theme-error-500)' : 'var(--theme-success-500)'}`,
        background: 'var(--theme-elevation-50)',
      }}
    >
      <div>
        <strong>{time}</strong> <span>{kind}</span>
      </div>
      <a href={href} data-calendar-story style={{ wordBreak: 'break-word' }}>
        {item.title}
      </a>
      {item.scheduleId ? (
        <div style={{ display: 'flex', gap: '0.25rem', marginTop: '0.25rem', flexWrap: 'wrap' }}>
          <button type="button" data-calendar-action="move" disabled={isBusy} onClick={() => setOpen('move')}>
            改期
          </button>
          <button
            type="button"
            data-calendar-action="cancel"
            disabled={isBusy}
            onClick={() => setOpen('cancel')}
          >
            取消定时
          </button>
        </div>
      ) : null}
      {open === 'move' ? (
        <div data-calendar-form="move" style={{ marginTop: '0.25rem' }}>
          <label>
            新时间（北京时间）
            <input
              type="datetime-local"
              name="scheduleAt"
              value={at}
              onChange={(event) => setAt(event.target.value)}
              style={{ width: '100%' }}
            />
          </label>
          <button type="button" disabled={isBusy || !at} onClick={move}>
            确定改期
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            算了
          </button>
        </div>
      ) : null}
      {open === 'cancel' ? (
        <div data-calendar-form="cancel" style={{ marginTop: '0.25rem' }}>
          <button type="button" disabled={isBusy} onClick={cancel}>
            确定取消定时
          </button>
          <button type="button" onClick={() => setOpen(null)}>
            算了
          </button>
        </div>
      ) : null}
    </div>
  )
}
