import RSS from 'rss'
import { house } from '../house.ts'
import { absoluteUrl, type FeedInput, feedItems, lastChange } from './feedItems.ts'

/**
 * RSS 2.0 (with the `rss` package): full text in `content:encoded`, the summary in
 * `description`, the hero as Media RSS `media:content` and as an enclosure with its real
 * byte length, the byline as `dc:creator`, section and tags as categories, and a guid that
 * never changes when the story is corrected. `now` is used only for an empty feed.
 */
export function buildRss({ stories, channel, now }: FeedInput): string {
  const items = feedItems({ stories, siteUrl: channel.siteUrl })
  const updated = lastChange({ items, now })
  const feed = new RSS({
    title: channel.title,
    description: channel.description,
    site_url: absoluteUrl({ path: channel.homePath, siteUrl: channel.siteUrl }),
    feed_url: absoluteUrl({ path: channel.feedPath, siteUrl: channel.siteUrl }),
    language: house.language,
    copyright: `© ${house.publisher}`,
    pubDate: updated,
    ttl: 15,
    custom_namespaces: {
      media: 'http://search.yahoo.com/mrss/',
      content: 'http://purl.org/rss/1.0/modules/content/',
    },
  })
  for (const item of items) {
    feed.item({
      title: item.title,
      description: item.summary,
      url: item.url,
      guid: item.guid,
      date: item.publishedAt,
      categories: item.categories,
      ...(item.author ? { author: item.author } : {}),
      ...(item.image
        ? { enclosure: { url: item.image.absoluteUrl, size: item.image.filesize, type: item.image.mimeType } }
        : {}),
      custom_elements: [
        { 'content:encoded': { _cdata: item.contentHtml } },
        ...(item.image
          ? [
              {
                'media:content': [
                  {
                    _attr: {
                      url: item.image.absoluteUrl,
                      type: item.image.mimeType,
                      medium: 'image',
                      width: item.image.width,
                      height: item.image.height,
                      fileSize: item.image.filesize,
                    },
                  },
                  ...(item.imageAlt ? [{ 'media:description': item.imageAlt }] : []),
                ],
              },
            ]
          : []),
      ],
    })
  }
  // The `rss` package stamps lastBuildDate with the wall clock; the feed's own last change
  // keeps the output byte-identical for the same stories.
  return feed
    .xml({ indent: false })
    .replace(
      /<lastBuildDate>[^<]*<\/lastBuildDate>/,
      `<lastBuildDate>${updated.toUTCString()}</lastBuildDate>`,
    )
}
