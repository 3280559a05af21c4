import { house } from '../house.ts'
import { absoluteUrl, type FeedInput, feedItems } from './feedItems.ts'

/** JSON Feed 1.1 (`application/feed+json`), https://www.jsonfeed.org/version/1.1/ */
export function buildJsonFeed({ stories, channel }: Pick<FeedInput, 'stories' | 'channel'>): string {
  const items = feedItems({ stories, siteUrl: channel.siteUrl })
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    description: channel.description,
    home_page_url: absoluteUrl({ path: channel.homePath, siteUrl: channel.siteUrl }),
    feed_url: absoluteUrl({ path: channel.feedPath, siteUrl: channel.siteUrl }),
    language: house.language,
    authors: [{ name: house.publisher }],
    items: items.map((item) => ({
      id: item.guid,
      url: item.url,
      title: item.title,
      summary: item.summary,
      content_html: item.contentHtml,
      date_published: item.publishedAt.toISOString(),
      date_modified: item.updatedAt.toISOString(),
      tags: item.categories,
      ...(item.author ? { authors: [{ name: item.author }] } : {}),
      ...(item.image
        ? {
            image: item.image.absoluteUrl,
            attachments: [
              {
                url: item.image.absoluteUrl,
                mime_type: item.image.mimeType,
                size_in_bytes: item.image.filesize,
              },
            ],
          }
        : {}),
    })),
  }
  return `${JSON.stringify(feed, null, 2)}\n`
}
