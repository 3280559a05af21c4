import type { CollectionBeforeChangeHook, PayloadRequest } from 'payload'
import { isDeskOrAdmin } from '../../../access/roles.ts'
import { noteChecksOverride } from '../../../hooks/audit.ts'
import { pendingSchedules } from '../../../jobs/storySchedule.ts'
import type { Story } from '../../../payload-types.ts'
import { checkStory, isBlocking } from '../../../publishing/checks/checkStory.ts'
import { StoryChecksError } from '../../../publishing/checks/checksError.ts'
import type { StorySchedule } from '../../../publishing/checks/types.ts'
import { collectionSlugs } from '../../../slugs.ts'
import { liveStages, type Stage, stages } from '../../../workflow/stages.ts'

/** Set by the schedule API on the save that schedules a publication: the time it is for (ISO). */
export const SCHEDULE_AT_CONTEXT_KEY = 'scheduleAt'

/** What a save does that the check guards, in the words of its refusal. */
const guardedMoves = {
  approve: { zh: '审核通过', en: 'approve the story' },
  schedule: { zh: '定时发布', en: 'schedule the story' },
  publish: { zh: '发布', en: 'publish the story' },
} as const

/**
 * The pre-publication check (发稿检查) on the saves that send a story out: approving it
 * (审核通过), scheduling its publication, and every save that puts it live (publishing,
 * correcting, republishing a live story, the schedule firing). Any blocking finding refuses
 * the save with the list (StoryChecksError, on the fields to fix), unless the story's
 * 发稿检查例外说明 holds a reason and the user is an editor or admin (or the save is the
 * server's own: a schedule an editor made firing): then the save goes through and its audit
 * entry records the findings and the reason. Runs after enforceWorkflow, which has settled the
 * stage; seed writes and new stories (only ever drafts, or the server's own) are not checked.
 */
export const enforceStoryChecks: CollectionBeforeChangeHook = async ({
  data,
  originalDoc,
  req,
  operation,
  context,
}) => {
  if (context.isSeed === true || operation !== 'update' || originalDoc?.id === undefined) return data
  const latest = await req.payload.findByID({
    collection: collectionSlugs.stories,
    id: originalDoc.id,
    draft: true,
    depth: 0,
    overrideAccess: true,
    req,
  })
  const from = asStage(latest.stage) ?? 'draft'
  const to = asStage(data.stage) ?? from
  const scheduleAt =
    typeof context[SCHEDULE_AT_CONTEXT_KEY] === 'string' ? context[SCHEDULE_AT_CONTEXT_KEY] : undefined
  const move = guardedMove({
    from,
    to,
    isPublishSave: data._status === 'published',
    isScheduling: !!scheduleAt,
  })
  if (!move) return data

  // What this save will store: the fields it sends over the latest version (as Payload merges them).
  const sent = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined))
  const story = { ...latest, ...sent, id: originalDoc.id } as Partial<Story>
  const pending = await pendingSchedules({ payload: req.payload, storyId: Number(originalDoc.id) })
  // A new publication time replaces the pending one (the schedule API deletes it next).
  const schedules: StorySchedule[] = scheduleAt
    ? [...pending.filter((schedule) => schedule.action !== 'publish'), { action: 'publish', at: scheduleAt }]
    : pending
  const blocking = (
    await checkStory({ payload: req.payload, story, now: new Date(), req, schedules })
  ).filter(isBlocking)
  if (blocking.length === 0) return data
  const reason = String(story.checksOverride ?? '').trim()
  if (!reason || !mayOverride(req))
    throw new StoryChecksError({ checks: blocking, req, move: guardedMoves[move] })
  noteChecksOverride({
    req,
    id: originalDoc.id,
    override: {
      reason,
      checks: blocking.map((check) => ({ code: check.code, field: check.field, message: check.message.zh })),
    },
  })
  req.payload.logger.info({
    msg: `story ${originalDoc.id}: ${guardedMoves[move].en} with ${blocking.length} blocking check(s) overridden: ${reason}`,
  })
  return data
}

/** Which guarded move a save is, if any. */
function guardedMove({
  from,
  to,
  isPublishSave,
  isScheduling,
}: {
  from: Stage
  to: Stage
  isPublishSave: boolean
  isScheduling: boolean
}): keyof typeof guardedMoves | undefined {
  if (liveStages.includes(to) && isPublishSave) return 'publish'
  if (to === 'scheduled' && (from !== 'scheduled' || isScheduling)) return 'schedule'
  // Unscheduling (scheduled → approved) steps back; it is never refused.
  if (to === 'approved' && from !== 'approved' && from !== 'scheduled') return 'approve'
  return undefined
}

/** Editors and admins may override; so may the server itself (a schedule an editor made, firing). */
function mayOverride(req: PayloadRequest): boolean {
  return !req.user || isDeskOrAdmin({ req })
}

function asStage(value: unknown): Stage | undefined {
  return stages.find((stage) => stage === value)
}
