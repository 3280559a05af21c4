'use client'
import { useAuth, useDocumentInfo, useTranslation } from '@payloadcms/ui'
import { useCallback, useEffect, useState } from 'react'
import { actionsFor, type StoryAction } from '../workflow/actions.ts'
import {
  authorIdsOf,
  type ReviewLevel,
  reviewLevelLabels,
  reviewLevelsOf,
  type Signature,
  signerId,
  standingSignatures,
} from '../workflow/reviewLevels.ts'
import { isDeskRole, type Role } from '../workflow/roles.ts'
import { liveStages, type Stage } from '../workflow/stages.ts'
import { deskTime, refusalLine, stageZh } from './deskFormat.ts'
import { nameOf } from './userName.ts'

type StoryData = {
  stage?: Stage
  createdBy?: number | { id: number } | null
  byline?: { authors?: (number | { id: number })[] | null } | null
  corrections?: { id?: string; note?: string; at?: string }[]
  stageHistory?: { from?: string; to?: string; note?: string | null; at?: string }[]
  section?: number | { id: number } | null
  signatures?: Signature[]
}
type Schedule = { id: string; action: 'publish' | 'unpublish'; at: string; timeZone: string }
type Run = {
  action: 'publish' | 'unpublish'
  dueAt: string
  status: string
  firedAt?: string
  isLate?: boolean
  lateBySeconds?: number
  note?: string
}

/** The zones a schedule may be read in: Beijing first, then a few the desk works with. */
const zones = [
  ['Asia/Shanghai', '北京时间'],
  ['UTC', '世界协调时 UTC'],
  ['Asia/Tokyo', '东京时间'],
  ['Europe/London', '伦敦时间'],
  ['America/New_York', '纽约时间'],
] as const

const ERROR_COLOUR = '#b42318'
const WARN_COLOUR = '#b54708'

/**
 * The story's action bar, first in the sidebar: the buttons its stage and the user's role allow
 * (the server's own move table), each saving through the REST API or the schedule API, the
 * server's refusal in one line, and what the author must read: a send-back reason, the pending
 * schedule, a schedule that failed or fired late.
 */
export function StoryActions() {
  const { id, savedDocumentData, data } = useDocumentInfo()
  const { user } = useAuth()
  // The buttons speak the admin's language: Chinese, or English when the user picked it.
  const { i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'zh'
  const story = (savedDocumentData ?? data ?? {}) as StoryData
  const stage: Stage = story.stage ?? 'draft'
  const author = typeof story.createdBy === 'object' ? story.createdBy?.id : story.createdBy
  const role = (user as { role?: Role } | null)?.role
  const isAuthor = author !== undefined && author !== null && String(author) === String(user?.id)
  const [open, setOpen] = useState<StoryAction | null>(null)
  const [text, setText] = useState('')
  const [at, setAt] = useState('')
  const [zone, setZone] = useState<string>(zones[0][0])
  const [error, setError] = useState('')
  const [isBusy, setIsBusy] = useState(false)
  const [schedules, setSchedules] = useState<Schedule[]>([])
  const [runs, setRuns] = useState<Run[]>([])
  const isDesk = isDeskRole(role)
  const sectionId = typeof story.section === 'object' ? story.section?.id : story.section
  const [levels, setLevels] = useState<ReviewLevel>(reviewLevelsOf(undefined))
  useEffect(() => {
    if (sectionId === undefined || sectionId === null) return
    void fetch(`/api/sections/${sectionId}?depth=0`, { credentials: 'include' })
      .then(async (response) =>
        response.ok ? ((await response.json()) as { reviewLevels?: number }) : undefined,
      )
      .then((section) => setLevels(reviewLevelsOf(section)))
      .catch(() => undefined)
  }, [sectionId])

  const load = useCallback(async () => {
    if (!id || !isDesk) return
    const [pending, fired] = await Promise.all([
      fetch(`/api/stories/${id}/schedule`, { credentials: 'include' }),
      fetch(`/api/schedule-runs?where[story][equals]=${id}&sort=-dueAt&limit=1&depth=0`, {
        credentials: 'include',
      }),
    ])
    if (pending.ok) setSchedules(((await pending.json()) as { schedules: Schedule[] }).schedules)
    if (fired.ok) setRuns(((await fired.json()) as { docs: Run[] }).docs)
  }, [id, isDesk])

  // Marks the bar as hydrated: its buttons answer clicks from then on (the server-rendered
  // markup before it does not).
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => {
    setIsHydrated(true)
    void load()
  }, [load])

  if (!id) return null
  const signatures = standingSignatures(story.signatures)
  const actions = actionsFor({
    stage,
    role,
    isAuthor,
    review: { levels, signatures, authorIds: authorIdsOf(story), userId: user?.id },
  })

  const run = async (action: StoryAction) => {
    // No check here: the server refuses a missing reason, note or time, and says why.
    setIsBusy(true)
    setError('')
    try {
      const response = await send({ id, action, story, text: text.trim(), at, zone, schedules })
      if (response && !response.ok) setError(await refusalLine(response))
      else window.location.reload()
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setIsBusy(false)
    }
  }

  const sentBack = lastSendBack({ story, stage })
  const problem = runProblem({ run: runs[0], stage })
  return (
    <section
      data-story-actions
      data-hydrated={isHydrated || undefined}
      aria-label="稿件操作"
      style={{ margin: '0 0 1.5rem' }}
    >
      <p style={{ fontWeight: 600, margin: '0 0 0.5rem' }}>
        稿件操作 <span style={{ fontWeight: 400 }}>· 当前：{stageZh(stage)}</span>
      </p>
      {sentBack ? (
        <p data-send-back role="note" style={{ margin: '0 0 0.5rem', color: WARN_COLOUR }}>
          退回修改：{sentBack.note}（{deskTime(sentBack.at)}）
        </p>
      ) : null}
      {stage === 'in_review' || stage === 'approved' ? (
        <ReviewLine levels={levels} signatures={signatures} />
      ) : null}
      {schedules.map((schedule) => (
        <p key={schedule.id} data-pending-schedule style={{ margin: '0 0 0.5rem', fontSize: '0.85rem' }}>
          {schedule.action === 'publish' ? '定时发布' : '定时撤下'}：{deskTime(schedule.at)}（北京时间）
        </p>
      ))}
      {problem ? (
        <p data-schedule-problem style={{ margin: '0 0 0.5rem', color: ERROR_COLOUR, fontSize: '0.85rem' }}>
          {problem}
        </p>
      ) : null}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0.5rem' }}>
        {actions.map((action) => (
          <button
            key={action.key}
            type="button"
            data-action={action.key}
            className={`btn btn--size-small ${action.key === 'sendBack' || action.key === 'withdraw' ? 'btn--style-secondary' : 'btn--style-primary'}`}
            style={{ margin: 0 }}
            disabled={isBusy}
            onClick={() => {
              setError('')
              if (action.input === 'none') void run(action)
              else setOpen(open?.key === action.key ? null : action)
            }}
          >
            {action.label[lang]}
          </button>
        ))}
        {actions.length === 0 ? <span style={{ fontSize: '0.85rem' }}>此阶段没有您可做的操作</span> : null}
      </div>
      {open ? (
        // Not a <form>: the sidebar is inside Payload's own form, and forms do not nest.
        <div data-action-form={open.key} style={{ margin: '0.75rem 0 0', display: 'grid', gap: '0.5rem' }}>
          {open.input === 'time' ? (
            <>
              <label>
                日期和时间
                <input
                  type="datetime-local"
                  name="scheduleAt"
                  value={at}
                  onChange={(event) => setAt(event.target.value)}
                  style={{ display: 'block', width: '100%' }}
                />
              </label>
              <label>
                时区
                <select
                  name="scheduleZone"
                  value={zone}
                  onChange={(event) => setZone(event.target.value)}
                  style={{ display: 'block', width: '100%' }}
                >
                  {zones.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ) : (
            <label>
              {open.input === 'note'
                ? '更正说明（读者可见）'
                : open.input === 'optionalNote'
                  ? '审核意见（可不填）'
                  : `${open.label.zh}原因`}
              <textarea
                name="actionText"
                rows={3}
                value={text}
                onChange={(event) => setText(event.target.value)}
                style={{ display: 'block', width: '100%' }}
              />
            </label>
          )}
          <div style={{ display: 'flex', gap: '0.5rem' }}>
            <button
              type="button"
              className="btn btn--style-primary btn--size-small"
              style={{ margin: 0 }}
              disabled={isBusy}
              onClick={() => void run(open)}
            >
              {lang === 'en' ? `Confirm: ${open.label.en}` : `确定${open.label.zh}`}
            </button>
            <button
              type="button"
              className="btn btn--style-secondary btn--size-small"
              style={{ margin: 0 }}
              onClick={() => setOpen(null)}
            >
              取消
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p role="alert" data-action-error style={{ margin: '0.5rem 0 0', color: ERROR_COLOUR }}>
          {error}
        </p>
      ) : null}
    </section>
  )
}

/** The request an action makes; undefined when there was nothing to send. */
async function send({
  id,
  action,
  story,
  text,
  at,
  zone,
  schedules,
}: {
  id: number | string
  action: StoryAction
  story: StoryData
  text: string
  at: string
  zone: string
  schedules: Schedule[]
}): Promise<Response | undefined> {
  const json = (method: string, url: string, body?: unknown) =>
    fetch(url, {
      method,
      credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  if (action.key === 'schedule')
    return json('POST', `/api/stories/${id}/schedule`, { action: 'publish', at, timeZone: zone })
  if (action.key === 'unschedule') {
    let last: Response | undefined
    for (const schedule of schedules.filter((candidate) => candidate.action === 'publish')) {
      last = await json('DELETE', `/api/stories/${id}/schedule/${schedule.id}`)
      if (!last.ok) return last
    }
    return last
  }
  const isLive = action.to === 'published' || action.to === 'corrected' || action.to === 'withdrawn'
  const body: Record<string, unknown> = { stage: action.to }
  if (action.key === 'sendBack' || (action.key === 'approve' && text)) body.stageNote = text
  if (action.key === 'withdraw') body.withdrawnReason = text
  if (action.key === 'correct') body.corrections = [...(story.corrections ?? []), { note: text }]
  if (isLive) body._status = 'published'
  return json('PATCH', `/api/stories/${id}${isLive ? '' : '?draft=true'}`, body)
}

/** 审核：初审 ✓ 王晓燕 · 复审 待签: each level of the section and who signed it. */
function ReviewLine({ levels, signatures }: { levels: ReviewLevel; signatures: Signature[] }) {
  const [names, setNames] = useState<Record<string, string>>({})
  const signers = signatures.map(signerId).join(',')
  useEffect(() => {
    for (const id of signers.split(',').filter(Boolean).map(Number)) {
      void nameOf(id).then((name) =>
        setNames((known) => (known[id] === name ? known : { ...known, [id]: name })),
      )
    }
  }, [signers])
  const parts = ([1, 2, 3] as const).slice(0, levels).map((level) => {
    const signature = signatures.find((candidate) => candidate.level === level)
    const label = levels === 1 ? '审核' : reviewLevelLabels[level].zh
    if (!signature) return `${label} 待签`
    const id = signerId(signature)
    return `${label} ✓ ${id === undefined ? '' : (names[id] ?? '')}`.trim()
  })
  return (
    <p data-review-levels={levels} style={{ margin: '0 0 0.5rem', fontSize: '0.85rem' }}>
      审核（{levels} 级）：{parts.join(' · ')}
    </p>
  )
}

/** The reason the story was last sent back, while it is still a draft waiting for its author. */
function lastSendBack({ story, stage }: { story: StoryData; stage: Stage }) {
  const last = story.stageHistory?.at(-1)
  if (stage !== 'draft' || !last || last.to !== 'draft' || !last.note?.trim()) return undefined
  return { note: last.note.trim(), at: last.at }
}

/** What went wrong with the story's last fired schedule, if anything: 失败 or 迟发. */
function runProblem({ run, stage }: { run: Run | undefined; stage: Stage }): string | undefined {
  if (!run) return undefined
  const isLive = liveStages.includes(stage)
  const isMissed = run.status === 'skipped' && (run.action === 'publish' ? !isLive : isLive)
  const when = deskTime(run.firedAt ?? run.dueAt)
  if (isMissed) return `定时${run.action === 'publish' ? '发布' : '撤下'}失败：${run.note ?? ''}（${when}）`
  if (run.isLate) return `迟发：定于 ${deskTime(run.dueAt)}，晚了 ${run.lateBySeconds ?? 0} 秒（${when}）`
  return undefined
}
