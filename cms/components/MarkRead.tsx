'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

type NotificationData = { readAt?: string | null; story?: number | { id: number } | null }

/** On an opened notification: marks it read, and links to its story. */
export function MarkRead() {
  const { id, savedDocumentData } = useDocumentInfo()
  const notification = (savedDocumentData ?? {}) as NotificationData
  const story = typeof notification.story === 'object' ? notification.story?.id : notification.story
  const isUnread = Boolean(id) && !notification.readAt
  const [error, setError] = useState('')

  useEffect(() => {
    if (!isUnread) return
    fetch(`/api/notifications/${id}?depth=0`, {
      method: 'PATCH',
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ readAt: new Date().toISOString() }),
    }).then(
      (response) => {
        if (response.ok) window.dispatchEvent(new Event('hongyan:notifications'))
        else setError(`未能标为已读（HTTP ${response.status}）`)
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    )
  }, [id, isUnread])

  if (!story && !error) return null
  return (
    <span data-mark-read style={{ display: 'inline-flex', gap: '1rem', alignItems: 'center' }}>
      {story ? (
        <a href={`/admin/collections/stories/${story}`} className="btn btn--style-primary btn--size-small">
          打开稿件
        </a>
      ) : null}
      {error ? <span role="alert">{error}</span> : null}
    </span>
  )
}
