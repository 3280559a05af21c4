import type { Payload, PayloadRequest } from 'payload'
import type { LexicalNode } from '../../channels/lexical/nodes.ts'
import { type Block, lexicalToBlocks } from '../../channels/lexical/toBlocks.ts'
import { buildSegmentScript } from '../../channels/tv/script.ts'
import type { TvProgrammeSettings, TvSegmentScript } from '../../channels/tv/types.ts'
import type { Story, TvEpisode, TvProgramme } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { type PlanWords, readPlacedStory } from '../plate/readPlacedStory.ts'

/** How the TV desk's refusals name a segment and its date. */
const tvWords: PlanWords = { row: 'segment', use: 'go on air', approvedFor: '', date: 'the air date' }

/** An episode refused for the TV desk, with the HTTP status its refusal answers with. */
export class TvEpisodeError extends Error {
  readonly status: number
  constructor({ message, status }: { message: string; status: number }) {
    super(message)
    this.name = 'TvEpisodeError'
    this.status = status
  }
}

export interface SegmentFit {
  /** 1-based, in running order */
  position: number
  story: Story
  script: TvSegmentScript
}

export interface EpisodeFit {
  programme: TvProgramme
  settings: TvProgrammeSettings
  segments: SegmentFit[]
  totalSeconds: number
  budgetSeconds: number
  /** Positive: over the budget by that many seconds; negative: time left. */
  over: number
}

/**
 * Reads and times every segment of an episode as the TV desk takes it: each story as
 * `readApprovedStory` gives it, with the segment's TV title, 口播导语 and per-paragraph shots,
 * at the programme's pace. Refuses an empty episode, a missing, withdrawn or unapproved story,
 * one still under embargo on the air date, and a shot on a paragraph the story does not have.
 */
export async function fitEpisode({
  payload,
  episode,
  req,
}: {
  payload: Payload
  episode: TvEpisode
  req?: PayloadRequest
}): Promise<EpisodeFit> {
  const programmeId = typeof episode.programme === 'object' ? episode.programme.id : episode.programme
  const programme = await payload.findByID({
    collection: collectionSlugs.tvProgrammes,
    id: programmeId,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
    req,
  })
  if (!programme)
    throw new TvEpisodeError({ message: `programme ${programmeId} no longer exists`, status: 422 })
  const settings: TvProgrammeSettings = {
    name: programme.name,
    pace: programme.pace,
    subtitleLineLength: programme.subtitleLineLength,
    segmentBudgetSeconds: programme.segmentBudgetSeconds,
  }
  const rows = episode.segments ?? []
  if (rows.length === 0)
    throw new TvEpisodeError({
      message: `episode ${episode.id} has no segments: place at least one story`,
      status: 422,
    })
  const segments: SegmentFit[] = []
  for (const [index, segment] of rows.entries()) {
    const position = index + 1
    const placed = await readPlacedStory({
      payload,
      ref: segment.story,
      position,
      date: episode.airDate,
      words: tvWords,
      req,
    })
    if (placed.problem !== undefined) throw new TvEpisodeError({ message: placed.problem, status: 422 })
    const story = placed.story
    const blocks = storyBlocks({ story })
    const paragraphs = paragraphCount({ blocks })
    const stray = (segment.shots ?? []).find((shot) => shot.paragraph > paragraphs)
    if (stray)
      throw new TvEpisodeError({
        message: `segment ${position}: a shot is set on paragraph ${stray.paragraph}, but “${story.title}” has ${paragraphs}`,
        status: 422,
      })
    const script = buildSegmentScript({
      segment: {
        storyId: story.id,
        title: segment.tvTitle?.trim() || story.title,
        lead: segment.lead?.trim() || story.summary?.trim() || '',
        blocks,
        shots: segment.shots ?? [],
        budgetSeconds: segment.budgetSeconds || settings.segmentBudgetSeconds,
      },
      programme: settings,
    })
    segments.push({ position, story, script })
  }
  const totalSeconds = segments.reduce((sum, segment) => sum + segment.script.totalSeconds, 0)
  const budgetSeconds = segments.reduce((sum, segment) => sum + segment.script.budgetSeconds, 0)
  return { programme, settings, segments, totalSeconds, budgetSeconds, over: totalSeconds - budgetSeconds }
}

/** A story's body as the blocks a segment is scripted from. */
export function storyBlocks({ story }: { story: Story }): Block[] {
  return lexicalToBlocks({ root: (story.body?.root ?? null) as unknown as LexicalNode | null })
}

/** How many paragraphs shots may be set on: every text block (images are not paragraphs). */
export function paragraphCount({ blocks }: { blocks: Block[] }): number {
  return blocks.filter((block) => block.kind !== 'image').length
}
