import { siteChannel } from '../../../site/planner/index.ts'
import { type NinjsItem, ninjsItem } from '../../channels/feeds/ninjs.ts'
import { buildRss } from '../../channels/feeds/rss.ts'
import type { PublishedStory } from '../../channels/types.ts'

/**
 * The story's `<item>` as the site's RSS feed (`/rss.xml`) will carry it: built by the same
 * serializer from the same plate, then cut out of the one-item feed, byte for byte.
 */
export function rssItemPreview({
  plate,
  siteUrl,
  now,
}: {
  plate: PublishedStory
  siteUrl: string
  now: Date
}): string {
  const feed = buildRss({
    stories: [plate],
    channel: siteChannel({ site: new URL(siteUrl), feedPath: '/rss.xml' }),
    now,
  })
  const item = feed.match(/<item>[\s\S]*<\/item>/)?.[0]
  if (!item) throw new Error('the RSS serializer wrote no <item> for the story')
  return item
}

/**
 * The story as a partner receives it in the ninjs feed (`/feeds/partner/ninjs.json`): one
 * item of its `items`, from the same plate, an embargo shown only while it holds.
 */
export function ninjsPreview({ plate, siteUrl }: { plate: PublishedStory; siteUrl: string }): NinjsItem {
  return ninjsItem({ story: plate, siteUrl })
}
