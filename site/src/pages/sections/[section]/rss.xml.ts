import type { APIRoute, GetStaticPaths } from 'astro'
import { buildRss } from '../../../../../cms/channels/feeds/rss.ts'
import type { PlatedSection, PublishedStory } from '../../../../../cms/channels/types.ts'
import { sectionChannel, xmlResponse } from '../../../lib/feeds.ts'
import { sectionsOf } from '../../../lib/site.ts'
import { publishedStories } from '../../../lib/stories.ts'

export const getStaticPaths = (async () => {
  const stories = await publishedStories()
  return sectionsOf(stories).map((section) => ({
    params: { section: section.slug },
    props: { section, stories: stories.filter((story) => story.section?.id === section.id) },
  }))
}) satisfies GetStaticPaths

export const GET: APIRoute = ({ props, site }) => {
  const { section, stories } = props as { section: PlatedSection; stories: PublishedStory[] }
  return xmlResponse(
    buildRss({ stories, channel: sectionChannel({ site, section }), now: new Date() }),
    'application/rss+xml',
  )
}
