import type { APIRoute } from 'astro'
import { buildRss } from '../../../cms/channels/feeds/rss.ts'
import { siteChannel, xmlResponse } from '../lib/feeds.ts'
import { publishedStories } from '../lib/stories.ts'

export const GET: APIRoute = async ({ site }) =>
  xmlResponse(
    buildRss({
      stories: await publishedStories(),
      channel: siteChannel({ site, feedPath: '/rss.xml' }),
      now: new Date(),
    }),
    'application/rss+xml',
  )
