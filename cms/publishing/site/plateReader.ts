import type { Payload } from 'payload'
import { type StorySummary, summarize } from '../../../site/planner/index.ts'
import { FEED_ITEM_LIMIT } from '../../channels/feeds/feedItems.ts'
import type { PublishedStory } from '../../channels/types.ts'
import { plateInBulk } from '../plate/plateInBulk.ts'
import type { PublishedStamp } from '../plate/readPublishedStories.ts'
import { cachedPlate, cachePlates } from './plateCache.ts'
import { SiteBuildError } from './siteBuildError.ts'

/**
 * Full stories for the pages and feeds a build renders: from memory or the plate cache, else
 * the kitchen. The stories in `keep` (those the feeds show) are kept in memory once read.
 */
export function plateReader({
  payload,
  distDir,
  keep,
}: {
  payload: Payload
  distDir: string
  keep: Set<number>
}) {
  for (const id of keptPlates.keys()) if (!keep.has(id)) keptPlates.delete(id)
  const remember = (story: PublishedStory, digest: string) => {
    if (keep.has(story.id)) keptPlates.set(story.id, { digest, story })
  }
  return {
    remember,
    read: async (summary: StorySummary): Promise<PublishedStory> => {
      const inMemory = keptPlates.get(summary.id)
      if (inMemory?.digest === summary.digest) return inMemory.story
      const cached = await cachedPlate({ distDir, id: summary.id })
      if (cached?.digest === summary.digest) {
        remember(cached.story, cached.digest)
        return cached.story
      }
      // Missing or not the version the summary describes: read it (the page shows what the summary promised
      // or newer; the next build catches up).
      for await (const [plated] of plateInBulk({ payload, ids: [summary.id] })) {
        if (plated) {
          const { story } = plated
          const json = JSON.stringify(story)
          const { digest } = summarize({ story, stamp: summary.stamp, json })
          await cachePlates({ distDir, plates: [{ id: story.id, digest, json }] })
          remember(story, digest)
          return story
        }
      }
      throw new SiteBuildError(`the story ${summary.id} (${summary.path}) is no longer published`)
    },
  }
}

export type Plates = ReturnType<typeof plateReader>

/** The stories the feeds show: the newest of the site and of each section. */
export function feedStoryIds(stamps: PublishedStamp[]): Set<number> {
  const ids = new Set<number>()
  const perSection = new Map<number, number>()
  for (const [at, story] of stamps.toReversed().entries()) {
    if (at < FEED_ITEM_LIMIT) ids.add(story.id)
    if (story.section === null) continue
    const count = perSection.get(story.section) ?? 0
    if (count < FEED_ITEM_LIMIT) ids.add(story.id)
    perSection.set(story.section, count + 1)
  }
  return ids
}

/**
 * The stories the feeds show, in full, kept in memory between the builds of a process (the
 * worker's): a publish writes every feed again without reading 300 stories back from disk.
 */
const keptPlates = new Map<number, { digest: string; story: PublishedStory }>()
