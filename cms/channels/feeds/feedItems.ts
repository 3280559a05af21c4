import { absoluteHtml } from '../html.ts'
import { rendition } from '../picture.ts'
import type { PublishedStory, Rendition } from '../types.ts'

/** Feeds carry the newest stories only; readers keep their own history. */
export const FEED_ITEM_LIMIT = 50

export interface FeedChannel {
  title: string
  description: string
  /** The site's origin, e.g. `https://news.example.cn`. */
  siteUrl: string
  /** The page the feed stands for, e.g. `/` or `/sections/laomo-fengcai/`. */
  homePath: string
  /** The feed's own path, e.g. `/rss.xml`. */
  feedPath: string
}

/** What a feed serializer is given; `now` (passed in, never read from the clock) dates an empty feed. */
export interface FeedInput {
  stories: PublishedStory[]
  channel: FeedChannel
  now: Date
}

/** One story as every feed format needs it: absolute URLs, newest first. */
export interface FeedItem {
  guid: string
  url: string
  title: string
  summary: string
  contentHtml: string
  author: string | null
  categories: string[]
  publishedAt: Date
  updatedAt: Date
  image: (Rendition & { absoluteUrl: string }) | null
  imageAlt: string | null
}

export function feedItems({ stories, siteUrl }: { stories: PublishedStory[]; siteUrl: string }): FeedItem[] {
  return [...stories]
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id)
    .slice(0, FEED_ITEM_LIMIT)
    .map((story) => {
      const hero = story.hero
        ? (rendition({ image: story.hero, name: 'hero' }) ?? story.hero.renditions[0])
        : undefined
      return {
        guid: story.guid,
        url: absoluteUrl({ path: story.path, siteUrl }),
        title: story.title,
        summary: story.summary ?? story.bodyText.slice(0, 120),
        contentHtml: absoluteHtml({ html: story.bodyHtml, baseUrl: siteUrl }),
        author: story.byline,
        categories: [...(story.section ? [story.section.name] : []), ...story.tags],
        publishedAt: new Date(story.publishedAt),
        updatedAt: new Date(story.updatedAt),
        image: hero ? { ...hero, absoluteUrl: absoluteUrl({ path: hero.url, siteUrl }) } : null,
        imageAlt: story.hero?.alt ?? null,
      }
    })
}

/** The feed's `updated` time: its newest change, so the same stories give the same bytes. */
export function lastChange({ items, now }: { items: FeedItem[]; now: Date }): Date {
  const newest = Math.max(...items.map((item) => item.updatedAt.getTime()), 0)
  return newest > 0 ? new Date(newest) : now
}

export function absoluteUrl({ path, siteUrl }: { path: string; siteUrl: string }): string {
  return new URL(path, `${siteUrl.replace(/\/+$/, '')}/`).href
}
