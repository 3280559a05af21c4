'use client'
import { useDocumentInfo } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'

/** One finding as `GET /api/stories/:id/checks` answers it. */
interface Check {
  code: string
  severity: 'block' | 'warn'
  field: string
  message: { zh: string; en: string }
}

type ChecksState =
  | { status: 'loading' }
  | { status: 'ready'; checks: Check[]; checkedAt: string }
  | { status: 'failed'; reason: string }

const BLOCK_COLOUR = '#b42318'
const WARN_COLOUR = '#b54708'
const OK_COLOUR = '#067647'

const timeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

/**
 * 发稿检查 in the story's sidebar: the pre-publication check of the latest saved version,
 * fetched again after every save and autosave, each finding with its severity (阻断 stops
 * 审核通过 and 发布; 提示 only advises) and a link to the field to fix it in.
 */
export function StoryChecks() {
  const { id, lastUpdateTime, data } = useDocumentInfo()
  const [state, setState] = useState<ChecksState>({ status: 'loading' })
  const savedAt = `${lastUpdateTime}:${(data as { updatedAt?: string } | undefined)?.updatedAt ?? ''}`

  const load = useCallback(
    async (signal: AbortSignal) => {
      if (!id) return
      try {
        const response = await fetch(`/api/stories/${id}/checks`, { credentials: 'include', signal })
        const body = (await response.json().catch(() => ({}))) as {
          checks?: Check[]
          checkedAt?: string
          reasonZh?: string
        }
        if (!response.ok || !body.checks) {
          setState({ status: 'failed', reason: body.reasonZh ?? `检查失败（HTTP ${response.status}）` })
          return
        }
        setState({
          status: 'ready',
          checks: body.checks,
          checkedAt: body.checkedAt ?? new Date().toISOString(),
        })
      } catch (err) {
        if (!signal.aborted)
          setState({ status: 'failed', reason: err instanceof Error ? err.message : String(err) })
      }
    },
    [id],
  )

  // Each save (and autosave) moves lastUpdateTime and the saved data: check again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: savedAt is the trigger, not an input
  useEffect(() => {
    const controller = new AbortController()
    void load(controller.signal)
    return () => controller.abort()
  }, [load, savedAt])

  // Marks the box as hydrated: its 去修改 links answer clicks from then on (the server-rendered
  // markup before it does not).
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
  }, [])

  if (!id) {
    return (
      <section
        data-story-checks
        data-hydrated={isHydrated || undefined}
        aria-label="发稿检查"
        style={{ margin: '0 0 1.5rem' }}
      >
        <p style={{ fontWeight: 600, margin: '0 0 0.5rem' }}>发稿检查</p>
        <p style={{ margin: 0, fontSize: '0.85rem' }}>保存后显示检查结果。</p>
      </section>
    )
  }
  return (
    <section
      data-story-checks
      data-hydrated={isHydrated || undefined}
      aria-label="发稿检查"
      style={{ margin: '0 0 1.5rem' }}
    >
      <p style={{ fontWeight: 600, margin: '0 0 0.5rem' }}>发稿检查</p>
      {state.status === 'loading' ? <p style={{ margin: 0, fontSize: '0.85rem' }}>正在检查…</p> : null}
      {state.status === 'failed' ? (
        <p role="alert" style={{ margin: 0, fontSize: '0.85rem', color: BLOCK_COLOUR }}>
          {state.reason}
        </p>
      ) : null}
      {state.status === 'ready' ? <CheckList checks={state.checks} checkedAt={state.checkedAt} /> : null}
    </section>
  )
}

function CheckList({ checks, checkedAt }: { checks: Check[]; checkedAt: string }) {
  const blocking = checks.filter((check) => check.severity === 'block').length
  const summary =
    checks.length === 0
      ? { text: '全部通过', colour: OK_COLOUR }
      : blocking > 0
        ? { text: `${blocking} 项阻断，${checks.length - blocking} 项提示`, colour: BLOCK_COLOUR }
        : { text: `无阻断，${checks.length} 项提示`, colour: WARN_COLOUR }
  return (
    <>
      <p data-checks-summary style={{ margin: '0 0 0.5rem', fontSize: '0.85rem', color: summary.colour }}>
        {summary.text}（{timeFormat.format(new Date(checkedAt))} 检查已保存的版本）
      </p>
      {checks.length ? (
        <ul style={{ margin: 0, paddingLeft: '1.1rem', fontSize: '0.85rem' }}>
          {checks.map((check, index) => (
            <li
              // biome-ignore lint/suspicious/noArrayIndexKey: findings have no id and keep their order
              key={`${check.code}-${index}`}
              data-check={check.code}
              data-severity={check.severity}
              style={{ margin: '0 0 0.4rem' }}
            >
              <strong style={{ color: check.severity === 'block' ? BLOCK_COLOUR : WARN_COLOUR }}>
                {check.severity === 'block' ? '阻断' : '提示'}
              </strong>{' '}
              {check.message.zh}{' '}
              <a
                href={`#${fieldAnchor(check.field)}`}
                onClick={(event) => {
                  event.preventDefault()
                  goToField(check.field)
                }}
              >
                去修改
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  )
}

/** The id Payload's admin gives a field's input: `field-` and the path with dots as `__`. */
function fieldAnchor(path: string): string {
  return `field-${path.replace(/\./g, '__')}`
}

/** Scrolls to the field and focuses it; the rich-text body has no id, only its data-field-path. */
function goToField(path: string) {
  const target =
    document.getElementById(fieldAnchor(path)) ??
    document.querySelector<HTMLElement>(`[data-field-path="${CSS.escape(path)}"]`)
  if (!target) return
  target.scrollIntoView({ behavior: 'smooth', block: 'center' })
  const focusable = target.matches('input, textarea, [contenteditable="true"], button')
    ? target
    : target.querySelector<HTMLElement>('input, textarea, [contenteditable="true"], button')
  focusable?.focus({ preventScroll: true })
}
