import type { Payload } from 'payload'
import type { LexicalNode } from '../../channels/lexical/nodes.ts'
import { lexicalToBlocks } from '../../channels/lexical/toBlocks.ts'
import { buildSegmentScript } from '../../channels/tv/script.ts'
import {
  defaultTvProgramme,
  type TvProgrammeSettings,
  type TvSegmentScript,
} from '../../channels/tv/types.ts'
import type { Story, TvEpisode, TvProgramme } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'

/** Where the TV preview times the story: the segment it is planned as, else a programme. */
export interface TvPlacement {
  programme: Pick<TvProgramme, 'id' | 'name'> | null
  episode: { id: number; title: string; airDate: string; position: number } | null
}

/** The story as the TV desk would script it, timed at the programme's pace. */
export interface TvPreview {
  script: TvSegmentScript
  settings: TvProgrammeSettings
  placement: TvPlacement
  /** Every programme, for choosing one when the story is planned in no episode. */
  programmes: Pick<TvProgramme, 'id' | 'name'>[]
}

/**
 * The 电视 tab's data: the story's segment script (口播导语, one row a paragraph with its 画面
 * and voice, each timed from its 字数 at the programme's pace) against the budget of the
 * segment it is planned as (the latest episode with a segment for it: that segment's TV
 * title, lead, shots and budget), else against the programme `programmeId` (else the first by
 * name, else the house default 劳动者 settings).
 */
export async function previewTv({
  payload,
  doc,
  programmeId,
}: {
  payload: Payload
  doc: Story
  programmeId?: number | null
}): Promise<TvPreview> {
  const programmes = (
    await payload.find({
      collection: collectionSlugs.tvProgrammes,
      sort: 'name',
      depth: 0,
      pagination: false,
      overrideAccess: true,
    })
  ).docs
  const planned = await plannedSegment({ payload, storyId: doc.id })
  const programme = planned
    ? programmes.find((candidate) => candidate.id === planned.programmeId)
    : (programmes.find((candidate) => candidate.id === programmeId) ?? programmes[0])
  const settings: TvProgrammeSettings = programme
    ? {
        name: programme.name,
        pace: programme.pace,
        subtitleLineLength: programme.subtitleLineLength,
        segmentBudgetSeconds: programme.segmentBudgetSeconds,
      }
    : defaultTvProgramme
  const segment = planned?.segment
  const script = buildSegmentScript({
    segment: {
      storyId: doc.id,
      title: segment?.tvTitle?.trim() || doc.title,
      lead: segment?.lead?.trim() || doc.summary?.trim() || '',
      blocks: lexicalToBlocks({ root: (doc.body?.root ?? null) as unknown as LexicalNode | null }),
      shots: segment?.shots ?? [],
      budgetSeconds: segment?.budgetSeconds || settings.segmentBudgetSeconds,
    },
    programme: settings,
  })
  return {
    script,
    settings,
    placement: {
      programme: programme ? { id: programme.id, name: programme.name } : null,
      episode: planned
        ? {
            id: planned.episode.id,
            title: planned.episode.title,
            airDate: planned.episode.airDate,
            position: planned.position,
          }
        : null,
    },
    programmes: programmes.map(({ id, name }) => ({ id, name })),
  }
}

type Segment = NonNullable<TvEpisode['segments']>[number]

/** The newest episode with a segment for the story, and that segment. */
async function plannedSegment({ payload, storyId }: { payload: Payload; storyId: number }) {
  const { docs } = await payload.find({
    collection: collectionSlugs.tvEpisodes,
    where: { 'segments.story': { equals: storyId } },
    sort: '-airDate',
    limit: 1,
    depth: 0,
    overrideAccess: true,
    context: { skipFit: true },
  })
  const episode = docs[0]
  if (!episode) return null
  const index = (episode.segments ?? []).findIndex((candidate: Segment) => idOf(candidate.story) === storyId)
  const segment = episode.segments?.[index]
  if (!segment) return null
  return { episode, segment, position: index + 1, programmeId: idOf(episode.programme) }
}

const idOf = (value: unknown): number | null =>
  typeof value === 'number' ? value : ((value as { id?: number } | null)?.id ?? null)
