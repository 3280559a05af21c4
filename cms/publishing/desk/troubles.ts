import type { Payload } from 'payload'
import { collectionSlugs } from '../../slugs.ts'
import { storyTitles } from './scheduleItems.ts'

/** A queue job that failed for good (see cms/jobs/scheduleQueue.ts): a schedule or a site build. */
export type FailedJob = {
  id: string
  task: 'schedule' | 'siteBuild'
  storyId?: number
  at: string
  error: string
}

/** What went wrong: a schedule fired late or did nothing, a job failed, a WeChat push failed. */
export type TroubleKind = 'late' | 'skipped' | 'scheduleFailed' | 'siteBuildFailed' | 'wechatFailed'

/** One line of 迟发/失败. */
export type TroubleRow = { kind: TroubleKind; at: string; storyId?: number; title?: string; detail: string }

/** How far back 迟发/失败 looks. */
export const TROUBLE_WINDOW_DAYS = 7

/**
 * 迟发/失败 since `since`, newest first: schedule runs that fired late or did nothing (with the
 * run's note), the failed jobs given, and failed WeChat pushes. Read as the server: the caller
 * shows it to the desk only.
 */
export async function recentTroubles({
  payload,
  since,
  failedJobs,
}: {
  payload: Payload
  since: Date
  failedJobs: readonly FailedJob[]
}): Promise<TroubleRow[]> {
  const after = since.toISOString()
  const [runs, pushes] = await Promise.all([
    payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: {
        and: [
          { dueAt: { greater_than_equal: after } },
          { or: [{ isLate: { equals: true } }, { status: { equals: 'skipped' } }] },
        ],
      },
      sort: '-dueAt',
      limit: 100,
      depth: 0,
      overrideAccess: true,
    }),
    payload.find({
      collection: collectionSlugs.wechatPushes,
      where: { and: [{ status: { equals: 'failed' } }, { createdAt: { greater_than_equal: after } }] },
      sort: '-createdAt',
      limit: 100,
      depth: 0,
      overrideAccess: true,
    }),
  ])
  const rows: TroubleRow[] = [
    ...runs.docs.map((run) => ({
      kind: (run.status === 'skipped' ? 'skipped' : 'late') as TroubleKind,
      at: run.dueAt,
      storyId: idOf(run.story),
      detail:
        run.status === 'skipped'
          ? `${actionZh(run.action)}未执行：${run.note ?? ''}`
          : `${actionZh(run.action)}迟发 ${run.lateBySeconds ?? 0} 秒`,
    })),
    ...failedJobs.map((job) => ({
      kind: (job.task === 'schedule' ? 'scheduleFailed' : 'siteBuildFailed') as TroubleKind,
      at: job.at,
      storyId: job.storyId,
      detail: `${job.task === 'schedule' ? '定时任务失败' : '网站构建失败'}：${job.error}`,
    })),
    ...pushes.docs.map((push) => ({
      kind: 'wechatFailed' as const,
      at: push.createdAt,
      storyId: idOf(push.story),
      detail: `公众号推送失败：${push.error ?? ''}`,
    })),
  ]
  const titles = await storyTitles({
    payload,
    ids: rows.flatMap((row) => (row.storyId ? [row.storyId] : [])),
  })
  return rows
    .map((row) => (row.storyId ? { ...row, title: titles.get(row.storyId) ?? `稿件 ${row.storyId}` } : row))
    .sort((a, b) => b.at.localeCompare(a.at))
}

function idOf(relation: number | { id: number } | null | undefined): number | undefined {
  return typeof relation === 'object' && relation !== null ? relation.id : (relation ?? undefined)
}

function actionZh(action: 'publish' | 'unpublish'): string {
  return action === 'publish' ? '定时发布' : '定时撤下'
}
