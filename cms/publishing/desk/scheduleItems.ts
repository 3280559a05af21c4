import type { Payload } from 'payload'
import { collectionSlugs } from '../../slugs.ts'

/** A schedule waiting on the queue (see cms/jobs/scheduleQueue.ts), for any story. */
export type QueuedSchedule = {
  id: string
  storyId: number
  action: 'publish' | 'unpublish'
  at: string
  timeZone: string
}

/**
 * One entry of the calendar and of 今日排期: a pending publication or unpublication (with the
 * schedule's id, to cancel or move it) or the end of a story's embargo.
 */
export type ScheduleItem = {
  kind: 'publish' | 'unpublish' | 'embargo'
  at: string
  storyId: number
  title: string
  scheduleId?: string
  timeZone?: string
}

/**
 * The pending schedules given and the embargoes ending in [from, to), each with its story's
 * title, soonest first. Withdrawn stories' embargoes are left out: nothing is released then.
 */
export async function scheduleItems({
  payload,
  from,
  to,
  schedules,
}: {
  payload: Payload
  from: Date
  to: Date
  schedules: readonly QueuedSchedule[]
}): Promise<ScheduleItem[]> {
  const inWindow = schedules.filter((schedule) => isWithin({ at: schedule.at, from, to }))
  const { docs: embargoed } = await payload.find({
    collection: collectionSlugs.stories,
    where: {
      and: [
        { embargoUntil: { greater_than_equal: from.toISOString() } },
        { embargoUntil: { less_than: to.toISOString() } },
        { stage: { not_equals: 'withdrawn' } },
      ],
    },
    pagination: false,
    draft: true,
    depth: 0,
    overrideAccess: true,
    select: { title: true, embargoUntil: true },
  })
  const titles = await storyTitles({
    payload,
    ids: inWindow.map((schedule) => schedule.storyId),
  })
  const items: ScheduleItem[] = [
    ...inWindow.map((schedule) => ({
      kind: schedule.action,
      at: schedule.at,
      storyId: schedule.storyId,
      title: titles.get(schedule.storyId) ?? `稿件 ${schedule.storyId}`,
      scheduleId: schedule.id,
      timeZone: schedule.timeZone,
    })),
    ...embargoed.map((story) => ({
      kind: 'embargo' as const,
      at: new Date(story.embargoUntil ?? 0).toISOString(),
      storyId: story.id,
      title: story.title,
    })),
  ]
  return items.sort((a, b) => a.at.localeCompare(b.at) || a.storyId - b.storyId)
}

function isWithin({ at, from, to }: { at: string; from: Date; to: Date }): boolean {
  const time = new Date(at).getTime()
  return time >= from.getTime() && time < to.getTime()
}

/** Each story's title (its latest version), by id. */
export async function storyTitles({
  payload,
  ids,
}: {
  payload: Payload
  ids: number[]
}): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map()
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { id: { in: [...new Set(ids)] } },
    pagination: false,
    draft: true,
    depth: 0,
    overrideAccess: true,
    select: { title: true },
  })
  return new Map(docs.map((story) => [story.id, story.title]))
}
