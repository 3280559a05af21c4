import {
  type LayoutData,
  planStoryPage,
  relatedTracker,
  type StorySummary,
  storyPageData,
  storyPageJson,
} from '../../../site/planner/index.ts'
import type { BuildState } from './buildState.ts'
import type { PageQueue } from './pageQueue.ts'
import type { Plates } from './plateReader.ts'
import type { ReadStory } from './readStories.ts'

/**
 * Queues each story's page as its story arrives, oldest first: a page shows only earlier
 * stories beside its own, so it can render as soon as its story is read, while the next
 * stories are read. The reading keeps pace with the rendering. A failure of the reading stops
 * the queue (the build fails with it); a failure of the queue stops the reading.
 * Returns the summaries read, oldest first, how many were read from the kitchen, and whether
 * every story was read.
 */
export async function queueStoryPages({
  stories,
  queue,
  plates,
  layout,
  layoutKey,
  kept,
}: {
  stories: AsyncIterable<ReadStory[]>
  queue: PageQueue
  plates: Plates
  layout: LayoutData
  layoutKey: string
  /**
   * The state of the live build updated in place, when its layout is this build's: while the
   * stories are its own, in its order, each story page's key is the one it has there (a
   * publish relates one story, not all), and the page is kept without planning it again.
   */
  kept: BuildState | null
}): Promise<{ summaries: StorySummary[]; storiesRead: number; isComplete: boolean }> {
  const related = relatedTracker<StorySummary>()
  const summaries: StorySummary[] = []
  let storiesRead = 0
  let isSamePrefix = kept !== null
  try {
    for await (const batch of stories) {
      if (queue.hasFailed) return { summaries, storiesRead, isComplete: false }
      for (const { summary, json } of batch) {
        const keptKey = kept?.pages[summary.path]
        isSamePrefix &&= kept?.stories[summaries.length] === summary && keptKey !== undefined
        summaries.push(summary)
        if (json !== undefined) storiesRead += 1
        if (isSamePrefix && keptKey !== undefined) {
          queue.keep({ path: summary.path, key: keptKey })
          related.add(summary)
          continue
        }
        const page = planStoryPage({ story: summary, related: related.next(summary), layoutKey })
        queue.add({
          path: page.path,
          key: page.key,
          data: async () =>
            json === undefined
              ? storyPageData({ page, story: await plates.read(summary), layout })
              : storyPageJson({ page, storyJson: json, layout }),
        })
      }
      await queue.waitForRoom()
    }
  } catch (err) {
    queue.fail(err)
    return { summaries, storiesRead, isComplete: false }
  }
  return { summaries, storiesRead, isComplete: true }
}
