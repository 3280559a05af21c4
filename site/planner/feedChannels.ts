import type { FeedChannel } from '../../../cms/channels/feeds/feedItems.ts'
import type { PlatedSection } from '../../../cms/channels/types.ts'
import { house, sectionPath } from './site.ts'

export const siteOrigin = (site: URL | undefined) => (site ?? new URL('http://localhost:4321')).origin

export function siteChannel({ site, feedPath }: { site: URL | undefined; feedPath: string }): FeedChannel {
  return {
    title: house.name,
    description: house.description,
    siteUrl: siteOrigin(site),
    homePath: '/',
    feedPath,
  }
}

export function sectionChannel({
  site,
  section,
}: {
  site: URL | undefined
  section: PlatedSection
}): FeedChannel {
  return {
    title: `${section.name} - ${house.name}`,
    description: section.description ?? `${house.name}“${section.name}”栏目`,
    siteUrl: siteOrigin(site),
    homePath: sectionPath(section),
    feedPath: `${sectionPath(section)}rss.xml`,
  }
}
