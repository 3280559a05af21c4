'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

interface PushRow {
  id: number
  action: 'add' | 'update'
  status: 'pushed' | 'failed'
  mediaId?: string | null
  storyVersion?: number | null
  error?: string | null
  createdAt: string
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

/**
 * On a saved story, for the WeChat desk: download the 公众号 package (article, images at
 * WeChat's sizes, meta, a preview with a copy button), push it to the account's draft box
 * (never a mass send), and what was pushed before: draft media_id, story version, when.
 */
export function WechatActions() {
  const { id } = useDocumentInfo()
  const [rows, setRows] = useState<PushRow[]>([])
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const [isPushing, setIsPushing] = useState(false)

  const load = useCallback(async () => {
    if (!id) return
    const response = await fetch(
      `/api/wechat-pushes?where[story][equals]=${id}&sort=-createdAt&limit=5&depth=0`,
      { credentials: 'include' },
    )
    if (response.ok) setRows(((await response.json()) as { docs: PushRow[] }).docs)
  }, [id])

  // Marks the box as hydrated: its button answers clicks from then on (the server-rendered
  // markup before it does not).
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
    void load()
  }, [load])

  if (!id) return null

  const push = async () => {
    setIsPushing(true)
    setMessage(null)
    try {
      const response = await fetch(`/api/stories/${id}/wechat/push`, {
        method: 'POST',
        credentials: 'include',
      })
      const body = (await response.json().catch(() => ({}))) as {
        mediaId?: string
        action?: string
        storyVersion?: number
        reasonZh?: string
        reason?: string
      }
      if (response.ok) {
        setMessage({
          tone: 'ok',
          text: `已${body.action === 'update' ? '更新' : '存入'}公众号草稿箱（第 ${body.storyVersion} 版，media_id ${body.mediaId}）`,
        })
      } else {
        setMessage({
          tone: 'error',
          text: body.reasonZh ?? body.reason ?? `推送失败（HTTP ${response.status}）`,
        })
      }
    } finally {
      setIsPushing(false)
      await load()
    }
  }

  return (
    <div data-wechat-actions data-hydrated={isHydrated || undefined} style={{ margin: '0 0 1.5rem' }}>
      <p style={{ fontWeight: 600, margin: '0 0 0.5rem' }}>公众号</p>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem', alignItems: 'center' }}>
        <a className="btn btn--style-secondary btn--size-small" href={`/api/stories/${id}/wechat`} download>
          下载公众号稿
        </a>
        <button
          type="button"
          className="btn btn--style-primary btn--size-small"
          disabled={isPushing}
          onClick={() => void push()}
        >
          {isPushing ? '正在推送…' : '推送到公众号草稿箱'}
        </button>
      </div>
      {message ? (
        <p
          role={message.tone === 'error' ? 'alert' : 'status'}
          style={{ color: message.tone === 'error' ? '#b42318' : '#067647' }}
        >
          {message.text}
        </p>
      ) : null}
      {rows.length ? (
        <ul data-wechat-pushes style={{ margin: '0.5rem 0 0', paddingLeft: '1.2rem', fontSize: '0.85rem' }}>
          {rows.map((row) => (
            <li key={row.id}>
              {timeFormat.format(new Date(row.createdAt))}{' '}
              {row.status === 'pushed'
                ? `${row.action === 'update' ? '更新草稿' : '新建草稿'} · 第 ${row.storyVersion} 版 · ${row.mediaId}`
                : `推送失败：${row.error}`}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
