'use client'
import { useDocumentInfo, useLivePreviewContext } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

interface OpenLink {
  id: number
  expiresAt: string
  createdBy: string | null
}

interface CreatedLink {
  id: number
  url: string
  expiresAt: string
}

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})

const lifetimes = [
  { hours: 1, label: '1 小时' },
  { hours: 24, label: '24 小时' },
  { hours: 72, label: '3 天' },
  { hours: 168, label: '7 天' },
]

/**
 * On a saved story: 预览 opens the preview beside the editor (every outlet, following the
 * draft), and 预览链接 makes a share link to the web preview for a reviewer without an account.
 * The link is shown once, with its expiry (the kitchen keeps only its hash); every link still
 * open is listed with 撤销.
 */
export function PreviewLinks() {
  const { id } = useDocumentInfo()
  const { isLivePreviewing, setIsLivePreviewing, url } = useLivePreviewContext()
  const [links, setLinks] = useState<OpenLink[]>([])
  const [created, setCreated] = useState<CreatedLink | null>(null)
  const [hours, setHours] = useState(24)
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const [isBusy, setIsBusy] = useState(false)

  const load = useCallback(async () => {
    if (!id) return
    const response = await fetch(`/api/stories/${id}/preview-links`, { credentials: 'include' })
    if (response.ok) setLinks(((await response.json()) as { links: OpenLink[] }).links)
  }, [id])

  // Marks the box as hydrated: its buttons answer clicks from then on (the server-rendered
  // markup before it does not).
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
    void load()
  }, [load])

  if (!id) return null

  const refusal = async (response: Response, fallback: string) => {
    const body = (await response.json().catch(() => ({}))) as { reasonZh?: string }
    return body.reasonZh ?? `${fallback}（HTTP ${response.status}）`
  }

  const create = async () => {
    setIsBusy(true)
    setMessage(null)
    try {
      const response = await fetch(`/api/stories/${id}/preview-links?hours=${hours}`, {
        method: 'POST',
        credentials: 'include',
      })
      if (response.ok) setCreated((await response.json()) as CreatedLink)
      else setMessage({ tone: 'error', text: await refusal(response, '生成预览链接失败') })
    } finally {
      setIsBusy(false)
      await load()
    }
  }

  const revoke = async (linkId: number) => {
    setIsBusy(true)
    setMessage(null)
    try {
      const response = await fetch(`/api/preview-links/${linkId}`, {
        method: 'DELETE',
        credentials: 'include',
      })
      if (response.ok) {
        setMessage({ tone: 'ok', text: '预览链接已撤销' })
        if (created?.id === linkId) setCreated(null)
      } else setMessage({ tone: 'error', text: await refusal(response, '撤销失败') })
    } finally {
      setIsBusy(false)
      await load()
    }
  }

  const copy = async () => {
    if (!created) return
    await navigator.clipboard?.writeText(created.url).catch(() => undefined)
    setMessage({ tone: 'ok', text: '已复制预览链接' })
  }

  return (
    <div data-preview-links data-hydrated={isHydrated || undefined} style={{ margin: '0 0 1.5rem' }}>
      <p style={{ fontWeight: 600, margin: '0 0 0.5rem' }}>预览</p>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.75rem', alignItems: 'center' }}>
        {url ? (
          <button
            type="button"
            className="btn btn--style-secondary btn--size-small"
            aria-pressed={isLivePreviewing}
            onClick={() => setIsLivePreviewing(!isLivePreviewing)}
          >
            {isLivePreviewing ? '关闭预览' : '打开预览'}
          </button>
        ) : null}
        <select
          aria-label="预览链接有效期"
          value={hours}
          onChange={(event) => setHours(Number(event.target.value))}
          disabled={isBusy}
        >
          {lifetimes.map((lifetime) => (
            <option key={lifetime.hours} value={lifetime.hours}>
              {lifetime.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn--style-primary btn--size-small"
          disabled={isBusy}
          onClick={() => void create()}
        >
          预览链接
        </button>
      </div>
      {created ? (
        <div data-preview-link-created style={{ marginTop: '0.5rem', fontSize: '0.85rem' }}>
          <input
            readOnly
            aria-label="预览链接地址"
            value={created.url}
            onFocus={(event) => event.currentTarget.select()}
            style={{ width: '100%' }}
          />
          <p style={{ margin: '0.25rem 0' }}>
            有效至 {timeFormat.format(new Date(created.expiresAt))}，只读，仅网站版；链接只显示这一次。{' '}
            <button
              type="button"
              className="btn btn--style-secondary btn--size-small"
              onClick={() => void copy()}
            >
              复制
            </button>
          </p>
        </div>
      ) : null}
      {message ? (
        <p
          role={message.tone === 'error' ? 'alert' : 'status'}
          style={{ color: message.tone === 'error' ? '#b42318' : '#067647' }}
        >
          {message.text}
        </p>
      ) : null}
      {links.length ? (
        <ul
          data-preview-link-list
          style={{ margin: '0.5rem 0 0', paddingLeft: '1.2rem', fontSize: '0.85rem' }}
        >
          {links.map((link) => (
            <li key={link.id} data-preview-link={link.id}>
              有效至 {timeFormat.format(new Date(link.expiresAt))}
              {link.createdBy ? ` · ${link.createdBy}` : ''}{' '}
              <button
                type="button"
                className="btn btn--style-secondary btn--size-small"
                disabled={isBusy}
                onClick={() => void revoke(link.id)}
              >
                撤销
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
