import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { buildAtom } from '../../cms/channels/feeds/atom.ts'
import { FEED_ITEM_LIMIT, type FeedChannel } from '../../cms/channels/feeds/feedItems.ts'
import { buildJsonFeed } from '../../cms/channels/feeds/jsonFeed.ts'
import { buildRss } from '../../cms/channels/feeds/rss.ts'
import { houseRights } from '../../cms/channels/house.ts'
import type { PlatedImage, PublishedStory } from '../../cms/channels/types.ts'

// biome-ignore lint/suspicious/noExplicitAny: parsed XML has no static shape
type Xml = Record<string, any>

const SITE = 'https://news.hongyan.example.cn'
const channel: FeedChannel = {
  title: '鸿雁职工新闻',
  description: '劳模工匠、职工教育、职工文化',
  siteUrl: SITE,
  homePath: '/',
  feedPath: '/rss.xml',
}
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', cdataPropName: '#cdata' })

const hero: PlatedImage = {
  id: 9,
  alt: '焊工在船坞作业',
  caption: null,
  credit: '记者 王晓燕 摄',
  width: 3000,
  height: 2000,
  renditions: [
    {
      name: 'hero',
      url: '/media/weld-1600.webp',
      filename: 'weld-1600.webp',
      mimeType: 'image/webp',
      width: 1600,
      height: 1067,
      filesize: 123_456,
    },
    {
      name: 'og',
      url: '/media/weld-og.webp',
      filename: 'weld-og.webp',
      mimeType: 'image/webp',
      width: 1200,
      height: 630,
      filesize: 50_000,
    },
  ],
}

function story(id: number, overrides: Partial<PublishedStory> = {}): PublishedStory {
  const day = String((id % 28) + 1).padStart(2, '0')
  return {
    id,
    guid: `urn:hongyan:story:${id}`,
    version: 1,
    slug: `gao-jian-${id}`,
    path: `/stories/gao-jian-${id}/`,
    kicker: null,
    title: `稿件${id}：劳模风采`,
    subtitle: null,
    summary: `第${id}篇稿件的导语。`,
    bodyHtml: `<p>正文<a href="/stories/other/">相关</a></p><figure><picture><img src="/media/x-768.webp" alt=""></picture></figure>`,
    bodyText: '正文相关',
    counts: { hanzi: 4, punctuation: 0, latinCells: 0, total: 4 },
    readingMinutes: 1,
    hero: null,
    images: [],
    people: [],
    section: { id: 1, name: '劳模风采', slug: 'laomo-fengcai', description: null, order: 1 },
    tags: ['技能传承'],
    byline: '记者 王晓燕',
    source: null,
    dateline: null,
    publishedAt: `2026-10-${day}T0${id % 10}:00:00.000Z`,
    updatedAt: `2026-10-${day}T0${id % 10}:00:00.000Z`,
    corrections: [],
    embargoUntil: null,
    rights: houseRights,
    ...overrides,
  }
}

const stories = [story(1, { hero }), story(2), story(3, { title: '<script>alert(1)</script> & “引号”' })]

describe('RSS 2.0', () => {
  const xml = buildRss({ stories, channel, now: new Date('2026-11-01T00:00:00Z') })
  const rss = parser.parse(xml).rss

  it('carries full text, summary, creator, categories, a stable guid and the hero as media and enclosure', () => {
    expect(rss['@xmlns:media']).toBe('http://search.yahoo.com/mrss/')
    const items = rss.channel.item as Record<string, unknown>[]
    // Newest first; a guid is the story's permanent id, never a permalink.
    expect(items.map((item) => item.guid)).toEqual(
      [3, 2, 1].map((id) => ({ '#text': `urn:hongyan:story:${id}`, '@isPermaLink': 'false' })),
    )
    const first = items.find(
      (item) => (item.guid as { '#text': string })['#text'] === 'urn:hongyan:story:1',
    ) as Xml
    expect(first.link).toBe(`${SITE}/stories/gao-jian-1/`)
    expect(first.description['#cdata']).toBe('第1篇稿件的导语。')
    expect(first['content:encoded']['#cdata']).toContain(`<a href="${SITE}/stories/other/">相关</a>`)
    expect(first['dc:creator']['#cdata']).toBe('记者 王晓燕')
    expect(first.category.map((c: { '#cdata': string }) => c['#cdata'])).toEqual(['劳模风采', '技能传承'])
    expect(first.enclosure).toEqual({
      '@url': `${SITE}/media/weld-1600.webp`,
      '@length': '123456',
      '@type': 'image/webp',
    })
    expect(first['media:content']).toMatchObject({
      '@url': `${SITE}/media/weld-1600.webp`,
      '@medium': 'image',
      '@width': '1600',
      '@fileSize': '123456',
      'media:description': '焊工在船坞作业',
    })
    expect(new Date(first.pubDate).toISOString()).toBe(stories[0]?.publishedAt)
  })

  it('uses absolute URLs only', () => {
    expect(xml).not.toMatch(/(href|src|url)="\//)
  })

  it('keeps a hostile title as text', () => {
    const titles = (rss.channel.item as { title: { '#cdata': string } }[]).map((item) => item.title['#cdata'])
    expect(titles).toContain('<script>alert(1)</script> & “引号”')
    // Character data, never markup: the only `<script` in the bytes sits inside CDATA.
    expect(xml).toContain('<title><![CDATA[<script>alert(1)</script> & “引号”]]></title>')
    expect(xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')).not.toContain('<script')
  })

  it('is byte-identical for the same stories, whenever it is built', () => {
    expect(buildRss({ stories, channel, now: new Date('2030-01-01T00:00:00Z') })).toBe(xml)
    expect(buildRss({ stories: [...stories].reverse(), channel, now: new Date() })).toBe(xml)
  })

  it('keeps the guid and moves the update time when a story is corrected', () => {
    const corrected = [
      story(1, { hero, version: 2, updatedAt: '2026-11-05T00:00:00.000Z' }),
      ...stories.slice(1),
    ]
    const after = parser.parse(buildRss({ stories: corrected, channel, now: new Date() })).rss
    expect(after.channel.lastBuildDate).toBe('Thu, 05 Nov 2026 00:00:00 GMT')
    expect(after.channel.item.map((i: { guid: { '#text': string } }) => i.guid['#text']).sort()).toEqual(
      rss.channel.item.map((i: { guid: { '#text': string } }) => i.guid['#text']).sort(),
    )
  })

  it(`holds the ${FEED_ITEM_LIMIT} newest stories at most`, () => {
    const many = Array.from({ length: 80 }, (_, index) => story(index + 1))
    const parsed = parser.parse(buildRss({ stories: many, channel, now: new Date() })).rss
    expect(parsed.channel.item).toHaveLength(FEED_ITEM_LIMIT)
    const dates = parsed.channel.item.map((i: { pubDate: string }) => Date.parse(i.pubDate))
    expect(dates).toEqual([...dates].sort((a, b) => b - a))
  })
})

describe('Atom', () => {
  const xml = buildAtom({
    stories,
    channel: { ...channel, feedPath: '/atom.xml' },
    now: new Date('2026-11-01T00:00:00Z'),
  })
  const feed = parser.parse(xml).feed

  it('gives each entry a permanent id, its link, full HTML content and dates', () => {
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom')
    const entry = (feed.entry as Xml[]).find((e) => e.id === 'urn:hongyan:story:1')
    expect(entry?.link).toEqual([
      { '@href': `${SITE}/stories/gao-jian-1/` },
      {
        '@rel': 'enclosure',
        '@href': `${SITE}/media/weld-1600.webp`,
        '@type': 'image/webp',
        '@length': '123456',
      },
    ])
    expect(entry?.content['@type']).toBe('html')
    expect(entry?.content['#cdata']).toContain(`href="${SITE}/stories/other/"`)
    expect(entry?.published).toBe(stories[0]?.publishedAt)
    expect(entry?.author.name).toBe('记者 王晓燕')
    expect(xml).toBe(buildAtom({ stories, channel: { ...channel, feedPath: '/atom.xml' }, now: new Date() }))
  })
})

describe('Atom titles', () => {
  it('escapes a hostile title, since Atom marks titles as HTML', () => {
    const feed = parser.parse(buildAtom({ stories, channel, now: new Date() })).feed
    const entry = (feed.entry as Xml[]).find((e) => e.id === 'urn:hongyan:story:3')
    expect(entry?.title).toEqual({
      '#cdata': '&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”',
      '@type': 'html',
    })
  })
})

describe('JSON Feed 1.1', () => {
  it('lists items with ids, HTML content, tags and the hero as an attachment with its size', () => {
    const feed = JSON.parse(buildJsonFeed({ stories, channel: { ...channel, feedPath: '/feed.json' } }))
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1')
    expect(feed.feed_url).toBe(`${SITE}/feed.json`)
    expect(feed.language).toBe('zh-CN')
    const item = feed.items.find((i: { id: string }) => i.id === 'urn:hongyan:story:1')
    expect(item).toMatchObject({
      url: `${SITE}/stories/gao-jian-1/`,
      title: '稿件1：劳模风采',
      tags: ['劳模风采', '技能传承'],
      authors: [{ name: '记者 王晓燕' }],
      image: `${SITE}/media/weld-1600.webp`,
      attachments: [{ url: `${SITE}/media/weld-1600.webp`, mime_type: 'image/webp', size_in_bytes: 123_456 }],
    })
    expect(item.content_html).toContain(`src="${SITE}/media/x-768.webp"`)
  })
})
