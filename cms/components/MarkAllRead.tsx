'use client'
import { useState } from 'react'
import { refusalLine } from './deskFormat.ts'

/** Above the inbox's list: 全部标为已读 marks every unread notification of the user's read. */
export function MarkAllRead() {
  const [error, setError] = useState('')
  const [isBusy, setIsBusy] = useState(false)
  const markAll = async () => {
    setIsBusy(true)
    setError('')
    try {
      const response = await fetch('/api/notifications?where[readAt][exists]=false&limit=1000', {
        method: 'PATCH',
        credentials: 'include',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ readAt: new Date().toISOString() }),
      })
      if (!response.ok) setError(await refusalLine(response))
      else window.location.reload()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setIsBusy(false)
    }
  }
  return (
    <div
      data-mark-all-read
      style={{ margin: '0 0 1rem', display: 'flex', gap: '1rem', alignItems: 'center' }}
    >
      <span style={{ fontSize: '0.85rem' }}>
        只列出发给您的通知；“已读时间”为空的是未读。点开一条即标为已读。
      </span>
      <button
        type="button"
        className="btn btn--style-secondary btn--size-small"
        style={{ margin: 0 }}
        disabled={isBusy}
        onClick={() => void markAll()}
      >
        全部标为已读
      </button>
      {error ? (
        <span role="alert" style={{ color: '#b42318' }}>
          {error}
        </span>
      ) : null}
    </div>
  )
}
