import type { APIRoute } from 'astro'
import { buildAtom } from '../../../cms/channels/feeds/atom.ts'
import { siteChannel, xmlResponse } from '../lib/feeds.ts'
import { publishedStories } from '../lib/stories.ts'

export const GET: APIRoute = async ({ site }) =>
  xmlResponse(
    buildAtom({
      stories: await publishedStories(),
      channel: siteChannel({ site, feedPath: '/atom.xml' }),
      now: new Date(),
    }),
    'application/atom+xml',
  )
