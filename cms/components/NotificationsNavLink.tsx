'use client'
import { useAuth } from '@payloadcms/ui'
import { useEffect, useState } from 'react'

/** How often the count is asked again while the admin stays open. */
const REFRESH_MS = 60_000

/** The unread count of the user's own notifications (the API reads only their own). */
async function unreadCount(): Promise<number | undefined> {
  const response = await fetch('/api/notifications/count?where[readAt][exists]=false', {
    credentials: 'include',
  })
  if (!response.ok) return undefined
  return ((await response.json()) as { totalDocs?: number }).totalDocs
}

/** 通知 (n) in the admin's navigation: the inbox, with how many are unread. */
export function NotificationsNavLink() {
  const { user } = useAuth()
  const [count, setCount] = useState<number | undefined>(undefined)
  const [isHydrated, setIsHydrated] = useState(false)

  useEffect(() => {
    setIsHydrated(true)
    if (!user) return
    let isCurrent = true
    const refresh = () =>
      unreadCount().then(
        (found) => {
          if (isCurrent && found !== undefined) setCount(found)
        },
        () => undefined,
      )
    void refresh()
    // Also when an inbox page marks some read (see MarkRead, MarkAllRead).
    window.addEventListener('hongyan:notifications', refresh)
    const timer = window.setInterval(refresh, REFRESH_MS)
    return () => {
      isCurrent = false
      window.removeEventListener('hongyan:notifications', refresh)
      window.clearInterval(timer)
    }
  }, [user])

  if (!user) return null
  return (
    <a
      href="/admin/collections/notifications"
      className="nav__link"
      data-notifications-link
      data-unread={count ?? 0}
      data-hydrated={isHydrated || undefined}
      style={{ fontWeight: count ? 600 : undefined }}
    >
      <span className="nav__link-label">通知{count ? ` (${count})` : ''}</span>
    </a>
  )
}
