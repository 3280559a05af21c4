import { type CollectionBeforeChangeHook, type PayloadRequest, ValidationError } from 'payload'
import { roleOf } from '../../../access/roles.ts'
import { noteReview, noteStageMove } from '../../../hooks/audit.ts'
import type { Story } from '../../../payload-types.ts'
import { collectionSlugs } from '../../../slugs.ts'
import { isSendBack } from '../../../workflow/actions.ts'
import {
  liveStages,
  refuseTransition,
  SCHEDULE_API_CONTEXT_KEY,
  type Stage,
  stages,
} from '../../../workflow/stages.ts'
import { RESTORE_AS_DRAFT_CONTEXT_KEY, RESTORE_CONTEXT_KEY } from './markRestore.ts'
import { reviewStep } from './reviewSignatures.ts'

type Correction = { id?: string | null; at?: string | null; note?: string | null }
type StageChange = { from: Stage; to: Stage; by?: number | null; at: string; note?: string | null }

function asStage(value: unknown): Stage | undefined {
  return stages.find((stage) => stage === value)
}

/**
 * Moves a story between stages only as `cms/workflow/stages.ts` allows, records who moved
 * it and when, and keeps Payload's own `_status` in step: Payload's Publish button on an
 * approved or scheduled story means "publish".
 */
export const enforceWorkflow: CollectionBeforeChangeHook = async ({
  data: incoming,
  originalDoc,
  req,
  operation,
  context,
}) => {
  const latest = operation === 'update' ? await latestVersion({ req, id: originalDoc?.id }) : undefined
  const from = asStage(latest?.stage) ?? 'draft'
  // Restoring an old version brings back its text, never its place in the workflow: the stage,
  // the history, the signatures, corrections and withdrawal stay as they are now, and a story
  // that is not live is restored as a draft. The text then goes through the same rules.
  const restoredVersion = context[RESTORE_CONTEXT_KEY]
  // Restored over a live story, an old version would replace what readers see without 更正 or
  // a publish: a live story's versions are restored as drafts, then published as any edit is.
  if (
    restoredVersion !== undefined &&
    liveStages.includes(from) &&
    context[RESTORE_AS_DRAFT_CONTEXT_KEY] !== true
  ) {
    fail(
      req,
      '已发布的稿件请“恢复为草稿”，改好后再发布（Restore a live story’s version as a draft, then publish it）',
    )
  }
  const data: Partial<Story> =
    restoredVersion !== undefined && latest
      ? {
          ...incoming,
          stage: from,
          corrections: latest.corrections,
          withdrawnReason: latest.withdrawnReason,
          ...(liveStages.includes(from) ? {} : { _status: 'draft' as const }),
        }
      : incoming
  let to = asStage(data.stage) ?? from
  const isPublishSave = data._status === 'published'
  // No user means trusted server code (the seed, the scheduled-publish job): every API
  // request without one is refused by access control before it gets here.
  const isSystem = context.isSeed === true || !req.user
  if (isPublishSave && !liveStages.includes(to) && to !== 'withdrawn') to = 'published'
  if (operation === 'create' && !isSystem && to !== 'draft' && to !== 'in_review') {
    fail(req, `新稿件只能存为草稿或提交审核（A new story starts as a draft or in review, not ${to}）`)
  }

  const priorCorrections = ((latest ?? originalDoc)?.corrections ?? []) as Correction[]
  const corrections = (data.corrections ?? priorCorrections) as Correction[]
  const isNewCorrection = corrections.length > priorCorrections.length
  const isHistoryRewritten = priorCorrections.some(
    (prior, index) => prior.note !== corrections[index]?.note || prior.at !== corrections[index]?.at,
  )
  if (isHistoryRewritten) {
    fail(
      req,
      '已发出的更正说明不能修改或删除，只能新增（Corrections already made cannot be changed or removed）',
      'corrections',
    )
  }
  if (isNewCorrection && liveStages.includes(from) && liveStages.includes(to)) to = 'corrected'
  if (from === 'corrected' && to === 'published') to = 'corrected'

  const role = roleOf(req)
  if (operation === 'update' && role === 'reporter' && !isSystem) {
    // Draft saves do not touch the stored stage that access control filters on, so the
    // latest version's stage and owner are checked here too.
    const isOwn = String(latest?.createdBy) === String(req.user?.id)
    if (!isOwn || (from !== 'draft' && from !== 'in_review')) {
      fail(req, '记者只能修改自己尚未审定的稿件（Reporters edit only their own stories before approval）')
    }
  }

  const now = new Date().toISOString()
  const isAuthor = String(latest?.createdBy) === String(req.user?.id)
  const requested = to
  const isRequestedMove = to !== from || (to === 'corrected' && isNewCorrection)
  if (isRequestedMove && operation === 'update' && !isSystem) {
    const refusal = refuseTransition({ from, to, role })
    if (refusal) fail(req, refusal)
    if (isSendBack({ from, to, isAuthor }) && !String(data.stageNote ?? '').trim()) {
      fail(req, '退回修改须写明原因（Sending a story back needs a reason for its author）', 'stageNote')
    }
    // A story is scheduled only together with its schedule, so neither can exist alone.
    const touchesSchedule = to === 'scheduled' || (from === 'scheduled' && to !== 'published')
    if (touchesSchedule && context[SCHEDULE_API_CONTEXT_KEY] !== true) {
      fail(req, '定时与取消定时请使用定时发布功能（Schedule and unschedule through the schedule API）')
    }
  }
  const review =
    operation === 'update'
      ? await reviewStep({
          req,
          data,
          latest,
          from,
          to,
          role,
          isSystem,
          isSendBack: isSendBack({ from, to: requested, isAuthor }),
          now,
        })
      : undefined
  to = review?.to ?? to
  const isMove = to !== from || (to === 'corrected' && isNewCorrection)
  if (review?.signed || review?.voided)
    noteReview({ req, id: originalDoc?.id, signed: review.signed, voided: review.voided })
  if (restoredVersion !== undefined)
    noteReview({ req, id: originalDoc?.id, restoredVersion: String(restoredVersion) })
  if ((liveStages.includes(to) || to === 'withdrawn') && !isPublishSave && isMove) {
    fail(
      req,
      `发布、更正和撤稿须点击“发布”保存（Publishing, correcting and withdrawing need a published save）`,
    )
  }
  if (to === 'corrected' && from !== 'corrected' && !isNewCorrection) {
    fail(req, '更正须写明更正说明（A correction needs a correction note）', 'corrections')
  }
  if (to === 'withdrawn' && !String(data.withdrawnReason ?? latest?.withdrawnReason ?? '').trim()) {
    fail(req, '撤稿须填写撤稿原因（A withdrawal needs a reason）', 'withdrawnReason')
  }

  if (isMove) noteStageMove({ req, id: originalDoc?.id, move: { from, to } })
  const history = ((latest ?? originalDoc)?.stageHistory ?? []) as StageChange[]
  return {
    ...data,
    stage: to,
    // Only a move goes live; a draft edit of a live story stays a draft until published.
    _status: isMove && (liveStages.includes(to) || to === 'withdrawn') ? 'published' : data._status,
    publishedAt: to === 'published' && !data.publishedAt ? now : data.publishedAt,
    corrections: corrections.map((correction, index) =>
      index < priorCorrections.length ? correction : { ...correction, at: now },
    ),
    // Clients never write the history; it is rebuilt here from the stored one.
    stageHistory:
      isMove || operation === 'create'
        ? [
            ...history,
            {
              from,
              to,
              by: req.user?.id ?? null,
              at: now,
              note: review?.note ?? moveNote({ data, latest, to, corrections }),
            },
          ]
        : history,
    // Like the history, rebuilt from the stored ones: a client never writes a signature.
    signatures: review?.signatures ?? latest?.signatures ?? [],
    stageNote: undefined,
  }
}

/** What the history keeps beside a move: the send-back reason, the correction note or the withdrawal reason. */
function moveNote({
  data,
  latest,
  to,
  corrections,
}: {
  data: Partial<Story>
  latest: Partial<Story> | undefined
  to: Stage
  corrections: Correction[]
}): string | null {
  const note =
    to === 'withdrawn'
      ? (data.withdrawnReason ?? latest?.withdrawnReason)
      : to === 'corrected'
        ? corrections.at(-1)?.note
        : (data as { stageNote?: string | null }).stageNote
  return String(note ?? '').trim() || null
}

function fail(req: PayloadRequest, message: string, path = 'stage'): never {
  throw new ValidationError({ collection: 'stories', errors: [{ message, path }] }, req.t)
}

/**
 * The story as last saved, draft or not, whatever the user may read: `originalDoc` is
 * the newest version *the user can access*, which for a reporter may be an older one.
 */
async function latestVersion({
  req,
  id,
}: {
  req: PayloadRequest
  id: number | string | undefined
}): Promise<Partial<Story> | undefined> {
  if (id === undefined) return undefined
  return req.payload.findByID({
    collection: collectionSlugs.stories,
    id,
    draft: true,
    depth: 0,
    overrideAccess: true,
    req,
  })
}
