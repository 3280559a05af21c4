import type { FeedChannel } from '../../cms/channels/feeds/feedItems.ts'
import { house } from '../../cms/channels/house.ts'
import type { PlatedSection } from '../../cms/channels/types.ts'
import { sectionPath } from './sitePaths.ts'

/** The site's own feeds (RSS, Atom, JSON Feed) as channels: the house and its address. */
export function siteChannel({ site, feedPath }: { site: URL; feedPath: string }): FeedChannel {
  return {
    title: house.name,
    description: house.description,
    siteUrl: site.origin,
    homePath: '/',
    feedPath,
  }
}

/** A section's RSS feed as a channel. */
export function sectionChannel({ site, section }: { site: URL; section: PlatedSection }): FeedChannel {
  return {
    title: `${section.name} - ${house.name}`,
    description: section.description ?? `${house.name}“${section.name}”栏目`,
    siteUrl: site.origin,
    homePath: sectionPath(section),
    feedPath: `${sectionPath(section)}rss.xml`,
  }
}
