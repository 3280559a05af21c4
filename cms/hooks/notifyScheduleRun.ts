import type { CollectionAfterChangeHook } from 'payload'
import { deskTime } from '../lib/beijingDays.ts'
import type { ScheduleRun } from '../payload-types.ts'
import { notify, storyOfNotice, userIdOf } from './notify.ts'

/** A schedule that fired later than this is the desk's business (a few seconds is the queue's). */
export const NOTIFY_LATE_AFTER_SECONDS = 60

/**
 * When a schedule run is settled: one that did nothing (the story was refused by the check, or
 * was no longer where the schedule expected it) or fired more than a minute late reaches the
 * story's author and whoever scheduled it, in their inbox.
 */
export const notifyScheduleRun: CollectionAfterChangeHook<ScheduleRun> = async ({
  doc,
  previousDoc,
  operation,
  req,
}) => {
  if (operation !== 'update' || previousDoc?.status !== 'claimed' || doc.status === 'claimed') return doc
  const isFailed = doc.status === 'skipped'
  const isLate = doc.status === 'done' && (doc.lateBySeconds ?? 0) > NOTIFY_LATE_AFTER_SECONDS
  const storyId = userIdOf(doc.story)
  if ((!isFailed && !isLate) || storyId === undefined) return doc
  const story = await storyOfNotice({ req, id: storyId })
  if (!story) return doc
  const scheduler = (story.stageHistory ?? []).findLast((change) => change.to === 'scheduled')?.by
  const what = doc.action === 'publish' ? '定时发布' : '定时撤下'
  const due = deskTime(new Date(doc.dueAt))
  const text = isFailed
    ? `《${story.title}》${what}（预定 ${due}）未执行：${doc.note ?? '原因不明'}`
    : `《${story.title}》${what}迟了 ${Math.ceil((doc.lateBySeconds ?? 0) / 60)} 分钟（预定 ${due}，北京时间）`
  await notify({
    req,
    recipients: [story.createdBy, scheduler],
    kind: isFailed ? 'scheduleFailed' : 'scheduleLate',
    story: storyId,
    text,
  })
  return doc
}
