import type { CollectionAfterReadHook } from 'payload'
import { describeSegmentFit } from '../../channels/tv/script.ts'
import { checkPlacedStories } from '../../hooks/checkPlacedStories.ts'
import type { TvEpisode } from '../../payload-types.ts'
import { fitEpisode, paragraphCount, storyBlocks, TvEpisodeError } from '../../publishing/tv/episodeFit.ts'
import { collectionSlugs } from '../../slugs.ts'

type Segment = NonNullable<TvEpisode['segments']>[number]

/**
 * Only stories approved or live may be placed, none still under embargo on the air date, and
 * a shot only on a paragraph the story has: the editor gets the reason on the field itself.
 */
export const checkSegments = checkPlacedStories<Segment>({
  collection: collectionSlugs.tvEpisodes,
  rowsField: 'segments',
  dateField: 'airDate',
  words: { placeZh: '播出', placeEn: 'for broadcast', dateZh: '播出日期', dateEn: 'the air date' },
  checkRow: ({ row, index, story }) => {
    const paragraphs = paragraphCount({ blocks: storyBlocks({ story }) })
    return (row.shots ?? []).flatMap((shot, at) =>
      shot.paragraph > paragraphs
        ? [
            {
              path: `segments.${index}.shots.${at}.paragraph`,
              message: `“${story.title}”只有 ${paragraphs} 段，没有第 ${shot.paragraph} 段 / The story has ${paragraphs} paragraphs`,
            },
          ]
        : [],
    )
  },
})

/**
 * Shows the timing at the programme's pace against the budget, per segment and for the
 * episode (`时长 9分30秒 / 10分00秒，余 30 秒（2 条）`), before any export.
 */
export const showFit: CollectionAfterReadHook = async ({ doc, req, context }) => {
  if (!req.user || context.skipFit) return doc
  try {
    const fit = await fitEpisode({ payload: req.payload, episode: doc as TvEpisode, req })
    return {
      ...doc,
      fitSummary: `${describeSegmentFit({ seconds: fit.totalSeconds, budget: fit.budgetSeconds })}（${fit.segments.length} 条）`,
      segments: (doc.segments ?? []).map((segment: Record<string, unknown>, index: number) => {
        const script = fit.segments[index]?.script
        return script
          ? {
              ...segment,
              timing: describeSegmentFit({ seconds: script.totalSeconds, budget: script.budgetSeconds }),
            }
          : segment
      }),
    }
  } catch (err) {
    if (err instanceof TvEpisodeError) return { ...doc, fitSummary: `无法核算：${err.message}` }
    throw err
  }
}
