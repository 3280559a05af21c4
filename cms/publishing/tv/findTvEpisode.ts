import type { Payload } from 'payload'
import type { TvEpisode } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { DEFAULT_TIME_ZONE, parseScheduleTime } from '../../workflow/zonedTime.ts'
import { TvEpisodeError } from './episodeFit.ts'

/**
 * The TV episode `ref` names: its id, or its air date (`2026-12-12`, the day in Beijing). A
 * date two episodes share, an unknown episode and anything else are refused with their status.
 */
export async function findTvEpisode({
  payload,
  ref,
}: {
  payload: Payload
  ref: string | number
}): Promise<TvEpisode> {
  const text = String(ref).trim()
  if (/^\d+$/.test(text)) {
    const episode = await payload.findByID({
      collection: collectionSlugs.tvEpisodes,
      id: Number(text),
      depth: 0,
      overrideAccess: true,
      disableErrors: true,
      context: { skipFit: true },
    })
    if (episode) return episode
    throw new TvEpisodeError({ message: `no TV episode ${text}`, status: 404 })
  }
  const dayStart = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? parseScheduleTime({ at: `${text}T00:00`, timeZone: DEFAULT_TIME_ZONE })
    : undefined
  if (!dayStart)
    throw new TvEpisodeError({
      message: `"${text}" is neither an episode id nor an air date like 2026-12-12`,
      status: 400,
    })
  const { docs } = await payload.find({
    collection: collectionSlugs.tvEpisodes,
    where: {
      and: [
        { airDate: { greater_than_equal: dayStart.toISOString() } },
        { airDate: { less_than: new Date(dayStart.getTime() + 86_400_000).toISOString() } },
      ],
    },
    depth: 0,
    limit: 2,
    overrideAccess: true,
    context: { skipFit: true },
  })
  if (docs.length > 1)
    throw new TvEpisodeError({ message: `more than one episode airs on ${text}: give its id`, status: 409 })
  if (!docs[0]) throw new TvEpisodeError({ message: `no TV episode airs on ${text}`, status: 404 })
  return docs[0]
}
