import { Feed } from 'feed'
import { house } from '../house.ts'
import { escapeHtml } from '../html.ts'
import { absoluteUrl, type FeedInput, feedItems, lastChange } from './feedItems.ts'

/** Atom 1.0 (with the `feed` package): full text as HTML content, ids that never change. */
export function buildAtom({ stories, channel, now }: FeedInput): string {
  const items = feedItems({ stories, siteUrl: channel.siteUrl })
  const feed = new Feed({
    id: absoluteUrl({ path: channel.homePath, siteUrl: channel.siteUrl }),
    title: escapeHtml(channel.title),
    description: escapeHtml(channel.description),
    link: absoluteUrl({ path: channel.homePath, siteUrl: channel.siteUrl }),
    language: house.language,
    updated: lastChange({ items, now }),
    generator: house.name,
    copyright: `© ${house.publisher}`,
    feedLinks: { atom: absoluteUrl({ path: channel.feedPath, siteUrl: channel.siteUrl }) },
    author: { name: house.publisher },
  })
  for (const item of items) {
    feed.addItem({
      id: item.guid,
      // The `feed` package marks Atom titles and summaries `type="html"`: text must be escaped.
      title: escapeHtml(item.title),
      link: item.url,
      description: escapeHtml(item.summary),
      content: item.contentHtml,
      date: item.updatedAt,
      published: item.publishedAt,
      category: item.categories.map((name) => ({ name, term: name })),
      ...(item.author ? { author: [{ name: item.author }] } : {}),
      ...(item.image
        ? { image: { url: item.image.absoluteUrl, type: item.image.mimeType, length: item.image.filesize } }
        : {}),
    })
  }
  return feed.atom1()
}
