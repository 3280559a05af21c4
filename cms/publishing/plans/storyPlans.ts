import type { Payload } from 'payload'
import type { PrintPlan, StoryPlans, TvPlan } from '../../channels/counts/storyPlans.ts'
import type { TvShot } from '../../channels/tv/types.ts'
import type { Column, TvProgramme } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { storyPath } from '../plate/plateStory.ts'
import { slotCapacity } from '../print/columnFit.ts'
import { siteOrigin } from '../site/siteOrigin.ts'

/** More plans than any story has; a page of them is all of them. */
const MAX_PLANS = 100

/**
 * Where a story is planned from today on (Beijing): every slot of a column issue and every
 * segment of a TV episode it is placed in, with the budget each counts against (a slot's own,
 * else its column's geometry; a segment's own, else its programme's) and, for TV, the pace, the
 * 口播导语 and the desk's shots. Issues and episodes already past are not counted against.
 * Nothing about the story is read here: the editor's sidebar counts the body being typed.
 */
export async function readStoryPlans({
  payload,
  story,
  now = new Date(),
}: {
  payload: Payload
  story: { id: number; slug?: string | null }
  now?: Date
}): Promise<StoryPlans> {
  const from = startOfBeijingDay(now).toISOString()
  const origin = siteOrigin()
  return {
    storyId: story.id,
    print: await printPlans({ payload, storyId: story.id, from }),
    tv: await tvPlans({ payload, storyId: story.id, from }),
    wechat: { siteOrigin: origin, sourceUrl: `${origin}${storyPath(story.slug ?? String(story.id))}` },
  }
}

async function printPlans({
  payload,
  storyId,
  from,
}: {
  payload: Payload
  storyId: number
  from: string
}): Promise<PrintPlan[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.columnIssues,
    where: { and: [{ 'slots.story': { equals: storyId } }, { issueDate: { greater_than_equal: from } }] },
    sort: 'issueDate',
    depth: 0,
    limit: MAX_PLANS,
    overrideAccess: true,
    // The fit reads every story of the issue; only the slots are wanted here.
    context: { skipFit: true },
  })
  const columns = new Map<number, Column>()
  const plans: PrintPlan[] = []
  for (const issue of docs) {
    const columnId = typeof issue.column === 'object' ? issue.column.id : issue.column
    const column =
      columns.get(columnId) ??
      (await payload.findByID({
        collection: collectionSlugs.columns,
        id: columnId,
        depth: 0,
        overrideAccess: true,
      }))
    columns.set(columnId, column)
    for (const [index, slot] of (issue.slots ?? []).entries()) {
      if (idOf(slot.story) !== storyId) continue
      plans.push({
        issueId: issue.id,
        issueTitle: issue.title,
        column: column.name,
        issueDate: issue.issueDate,
        position: index + 1,
        budget: slotCapacity({ column, budget: slot.budget }),
      })
    }
  }
  return plans
}

async function tvPlans({
  payload,
  storyId,
  from,
}: {
  payload: Payload
  storyId: number
  from: string
}): Promise<TvPlan[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.tvEpisodes,
    where: { and: [{ 'segments.story': { equals: storyId } }, { airDate: { greater_than_equal: from } }] },
    sort: 'airDate',
    depth: 0,
    limit: MAX_PLANS,
    overrideAccess: true,
    context: { skipFit: true },
  })
  const programmes = new Map<number, TvProgramme>()
  const plans: TvPlan[] = []
  for (const episode of docs) {
    const programmeId = typeof episode.programme === 'object' ? episode.programme.id : episode.programme
    const programme =
      programmes.get(programmeId) ??
      (await payload.findByID({
        collection: collectionSlugs.tvProgrammes,
        id: programmeId,
        depth: 0,
        overrideAccess: true,
      }))
    programmes.set(programmeId, programme)
    for (const [index, segment] of (episode.segments ?? []).entries()) {
      if (idOf(segment.story) !== storyId) continue
      plans.push({
        episodeId: episode.id,
        episodeTitle: episode.title,
        programme: programme.name,
        airDate: episode.airDate,
        position: index + 1,
        pace: programme.pace,
        budgetSeconds: segment.budgetSeconds || programme.segmentBudgetSeconds,
        lead: segment.lead?.trim() || null,
        shots: (segment.shots ?? []).map(
          (shot): TvShot => ({
            paragraph: shot.paragraph,
            visual: shot.visual ?? null,
            voice: shot.voice ?? null,
            text: shot.text ?? null,
          }),
        ),
      })
    }
  }
  return plans
}

const idOf = (value: number | { id: number } | null | undefined): number | null =>
  typeof value === 'object' && value !== null ? value.id : (value ?? null)

/** Midnight in Beijing at the start of `now`'s day there: an issue dated today still counts. */
function startOfBeijingDay(now: Date): Date {
  const day = 24 * 3_600_000
  const offset = 8 * 3_600_000
  return new Date(Math.floor((now.getTime() + offset) / day) * day - offset)
}
