import type { APIRoute } from 'astro'
import { buildJsonFeed } from '../../../cms/channels/feeds/jsonFeed.ts'
import { siteChannel, xmlResponse } from '../lib/feeds.ts'
import { publishedStories } from '../lib/stories.ts'

export const GET: APIRoute = async ({ site }) =>
  xmlResponse(
    buildJsonFeed({
      stories: await publishedStories(),
      channel: siteChannel({ site, feedPath: '/feed.json' }),
    }),
    'application/feed+json',
  )
