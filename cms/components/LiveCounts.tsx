'use client'
import { useDebounce, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import { useEffect, useMemo, useRef, useState } from 'react'
import { bodyMediaIds } from '../channels/counts/bodyMedia.ts'
import { type LiveCounts as Counts, type ImageWords, liveCounts } from '../channels/counts/liveCounts.ts'
import type { StoryPlans } from '../channels/counts/storyPlans.ts'

/** Quiet time after the last keystroke before the counts are redone. */
const SETTLE_MS = 300
const OVER_COLOUR = '#b42318'

type PlansState =
  | { status: 'unsaved' | 'loading' }
  | { status: 'ready'; plans: StoryPlans }
  | { status: 'failed'; reason: string }

/**
 * 字数统计 at the top of the story's sidebar, redone as the editor types (nothing need be
 * saved): the body's 字数 and reading time as the public page counts them, and each budget
 * the story counts against — the print slots and TV segments it is planned into
 * (`GET /api/stories/:id/budgets`) and WeChat's limits — as `used / budget`, red and marked
 * `data-over` when over.
 */
export function LiveCounts() {
  const { id } = useDocumentInfo()
  const body = useFormFields(([fields]) => fields.body?.value)
  const title = useFormFields(([fields]) => fields.title?.value)
  const kicker = useFormFields(([fields]) => fields.kicker?.value)
  const subtitle = useFormFields(([fields]) => fields.subtitle?.value)
  const summary = useFormFields(([fields]) => fields.summary?.value)
  const bylineText = useFormFields(([fields]) => fields['byline.text']?.value)
  const wechatTitle = useFormFields(([fields]) => fields['wechat.title']?.value)
  const wechatDigest = useFormFields(([fields]) => fields['wechat.digest']?.value)
  const typed = useMemo(
    () => ({
      body,
      title: textOf(title),
      kicker: textOf(kicker),
      subtitle: textOf(subtitle),
      summary: textOf(summary),
      bylineText: textOf(bylineText),
      wechatTitle: textOf(wechatTitle),
      wechatDigest: textOf(wechatDigest),
    }),
    [body, title, kicker, subtitle, summary, bylineText, wechatTitle, wechatDigest],
  )
  const draft = useDebounce(typed, SETTLE_MS)
  const plans = useStoryPlans({ id })
  const images = useImageWords({ body: draft.body })
  const readyPlans = plans.status === 'ready' ? plans.plans : null
  const result = useMemo((): { counts: Counts } | { error: string } => {
    try {
      return { counts: liveCounts({ draft: { ...draft, images }, plans: readyPlans }) }
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) }
    }
  }, [draft, images, readyPlans])
  // Marks the box as hydrated: it follows the editor's typing from then on (the server-rendered
  // markup before it does not).
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
  }, [])

  return (
    <section
      data-live-counts
      data-hydrated={isHydrated || undefined}
      aria-label="字数统计"
      style={{ margin: '0 0 1.5rem' }}
    >
      <p style={{ fontWeight: 600, margin: '0 0 0.5rem' }}>字数统计</p>
      {'error' in result ? (
        <p role="alert" style={{ color: OVER_COLOUR }}>
          无法统计：{result.error}
        </p>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, fontSize: '0.9rem', lineHeight: 1.7 }}>
          <li data-count-row="body">{result.counts.text}</li>
          {result.counts.rows.map((row) => (
            <li
              key={row.key}
              data-count-row={row.outlet}
              data-count-key={row.key}
              data-over={row.isOver ? 'true' : 'false'}
              title={row.isOver ? '超出预算' : undefined}
              style={row.isOver ? { color: OVER_COLOUR, fontWeight: 600 } : undefined}
            >
              {row.isOver ? <span aria-hidden="true">⚠ </span> : null}
              {row.text}
            </li>
          ))}
        </ul>
      )}
      <PlansNote plans={plans} />
    </section>
  )
}

function PlansNote({ plans }: { plans: PlansState }) {
  const muted = { fontSize: '0.8rem', opacity: 0.75, margin: '0.25rem 0 0' }
  switch (plans.status) {
    case 'unsaved':
      return <p style={muted}>保存后显示报纸版面和电视节目的预算</p>
    case 'loading':
      return <p style={muted}>正在读取版面和节目安排…</p>
    case 'failed':
      return (
        <p role="alert" style={{ ...muted, color: OVER_COLOUR, opacity: 1 }}>
          无法读取版面和节目安排：{plans.reason}
        </p>
      )
    case 'ready':
      return plans.plans.print.length || plans.plans.tv.length ? null : (
        <p style={muted}>尚未排入报纸版面或电视节目</p>
      )
  }
}

/** The story's plans, read once for a saved story. */
function useStoryPlans({ id }: { id: number | string | undefined }): PlansState {
  const [state, setState] = useState<PlansState>({ status: id ? 'loading' : 'unsaved' })
  useEffect(() => {
    if (!id) {
      setState({ status: 'unsaved' })
      return
    }
    let isCurrent = true
    setState({ status: 'loading' })
    const read = async (): Promise<PlansState> => {
      const response = await fetch(`/api/stories/${id}/budgets`, { credentials: 'include' })
      const answer = (await response.json().catch(() => ({}))) as StoryPlans & { reasonZh?: string }
      return response.ok
        ? { status: 'ready', plans: answer }
        : { status: 'failed', reason: answer.reasonZh ?? `HTTP ${response.status}` }
    }
    read()
      .catch((err: unknown): PlansState => ({ status: 'failed', reason: String(err) }))
      .then((next) => {
        if (isCurrent) setState(next)
      })
    return () => {
      isCurrent = false
    }
  }, [id])
  return state
}

/**
 * Alt text, caption and credit of the body's images (they are part of the WeChat article),
 * read once per image; an image added while typing is read when it appears.
 */
function useImageWords({ body }: { body: unknown }): ReadonlyMap<number, ImageWords> {
  const [words, setWords] = useState<ReadonlyMap<number, ImageWords>>(new Map())
  const requested = useRef(new Set<number>())
  const idsKey = bodyMediaIds({ body }).join(',')
  useEffect(() => {
    const missing = idsKey
      .split(',')
      .filter(Boolean)
      .map(Number)
      .filter((id) => !requested.current.has(id))
    if (missing.length === 0) return
    for (const id of missing) requested.current.add(id)
    const query = new URLSearchParams({
      'where[id][in]': missing.join(','),
      depth: '0',
      limit: String(missing.length),
    })
    fetch(`/api/media?${query}`, { credentials: 'include' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const { docs } = (await response.json()) as { docs: (ImageWords & { id: number })[] }
        setWords((known) => {
          const next = new Map(known)
          for (const doc of docs)
            next.set(doc.id, {
              alt: doc.alt ?? null,
              caption: doc.caption ?? null,
              credit: doc.credit ?? null,
            })
          return next
        })
      })
      .catch(() => {
        // Counted without their words for now; asked again when the body next changes.
        for (const id of missing) requested.current.delete(id)
      })
  }, [idsKey])
  return words
}

const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null)
