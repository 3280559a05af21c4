import { buildAtom } from '../../cms/channels/feeds/atom.ts'
import { FEED_ITEM_LIMIT } from '../../cms/channels/feeds/feedItems.ts'
import { buildJsonFeed } from '../../cms/channels/feeds/jsonFeed.ts'
import { buildRss } from '../../cms/channels/feeds/rss.ts'
import { house } from '../../cms/channels/house.ts'
import type { PublishedStory } from '../../cms/channels/types.ts'
import { readPublishedPage } from '../../cms/publishing/plate/readPublishedStories.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/**
 * One run of the static feed benchmark, in a process of its own. Feeds hold the 50 newest
 * stories, so generating them reads only those: the newest 50 of the site and of each
 * section, read and plated as the public. Then every public feed is rendered (site RSS, Atom,
 * JSON Feed, one RSS per section). Prints its timings as one JSON line.
 */
runCli(async () => {
  const payload = await loadMigratedPayload()
  const started = performance.now()
  const newest = await readPublishedPage({ payload, limit: FEED_ITEM_LIMIT })
  const sectionList = (
    await payload.find({ collection: collectionSlugs.sections, pagination: false, depth: 0 })
  ).docs
  const bySection = new Map<string, PublishedStory[]>()
  for (const section of sectionList) {
    const page = await readPublishedPage({
      payload,
      limit: FEED_ITEM_LIMIT,
      where: { section: { equals: section.id } },
    })
    bySection.set(String(section.slug), page.docs)
  }
  const stories = newest.docs
  const read = performance.now()
  const now = new Date()
  const channel = (feedPath: string, homePath = '/') => ({
    title: house.name,
    description: house.description,
    siteUrl: 'https://news.example.cn',
    homePath,
    feedPath,
  })
  let bytes = buildRss({ stories, channel: channel('/rss.xml'), now }).length
  bytes += buildAtom({ stories, channel: channel('/atom.xml'), now }).length
  bytes += buildJsonFeed({ stories, channel: channel('/feed.json') }).length
  for (const [slug, list] of bySection) {
    bytes += buildRss({
      stories: list,
      channel: channel(`/sections/${slug}/rss.xml`, `/sections/${slug}/`),
      now,
    }).length
  }
  const rendered = performance.now()
  console.log(
    JSON.stringify({ stories: stories.length, readMs: read - started, renderMs: rendered - read, bytes }),
  )
  await closePayload(payload)
})
