import { SitemapIndexStream, SitemapStream, streamToPromise } from 'sitemap'
import { type StorySummary, sectionChannel, sectionPath, siteChannel } from '../../../site/planner/index.ts'
import { buildAtom } from '../../channels/feeds/atom.ts'
import { FEED_ITEM_LIMIT } from '../../channels/feeds/feedItems.ts'
import { buildJsonFeed } from '../../channels/feeds/jsonFeed.ts'
import { buildRss } from '../../channels/feeds/rss.ts'
import type { PlatedSection } from '../../channels/types.ts'
import type { Plates } from './plateReader.ts'

/** Writes one file of the build (pageFiles.mjs writeBuildFile, in place or by rename). */
export type WriteFile = (file: { dir: string; file: string; text: string }) => void

/** The site's RSS, Atom and JSON Feed, and each section's RSS: the newest stories, in full. Returns the files written. */
export async function writeFeeds({
  stories,
  sections,
  plates,
  dir,
  siteUrl,
  write,
}: {
  /** Newest first. */
  stories: StorySummary[]
  sections: PlatedSection[]
  plates: Plates
  dir: string
  siteUrl: string
  write: WriteFile
}): Promise<string[]> {
  const site = new URL(siteUrl)
  const full = async (stories: StorySummary[]) =>
    Promise.all(stories.slice(0, FEED_ITEM_LIMIT).map((s) => plates.read(s)))
  const newest = await full(stories)
  const now = new Date()
  const feeds: { file: string; text: string }[] = [
    {
      file: 'rss.xml',
      text: buildRss({ stories: newest, channel: siteChannel({ site, feedPath: '/rss.xml' }), now }),
    },
    {
      file: 'atom.xml',
      text: buildAtom({ stories: newest, channel: siteChannel({ site, feedPath: '/atom.xml' }), now }),
    },
    {
      file: 'feed.json',
      text: buildJsonFeed({ stories: newest, channel: siteChannel({ site, feedPath: '/feed.json' }) }),
    },
  ]
  for (const section of sections) {
    const ofSection = await full(stories.filter((story) => story.section?.id === section.id))
    feeds.push({
      file: `${sectionPath(section).slice(1)}rss.xml`,
      text: buildRss({ stories: ofSection, channel: sectionChannel({ site, section }), now }),
    })
  }
  for (const { file, text } of feeds) await write({ dir, file, text })
  return feeds.map(({ file }) => file)
}

/** Addresses in one sitemap file, the protocol's limit. */
const SITEMAP_LIMIT = 50_000

/** Sitemaps of every page but search and 404, their index, and robots.txt. Returns the files written. */
export async function writeSitemap({
  paths,
  dir,
  siteUrl,
  write,
}: {
  paths: string[]
  dir: string
  siteUrl: string
  write: WriteFile
}): Promise<string[]> {
  const listed = paths.filter((page) => page !== '/search/' && page !== '/404/').sort()
  const files: string[] = []
  for (let at = 0; at === 0 || at < listed.length; at += SITEMAP_LIMIT) {
    const stream = new SitemapStream({ hostname: siteUrl })
    for (const page of listed.slice(at, at + SITEMAP_LIMIT)) stream.write({ url: page })
    stream.end()
    const file = `sitemap-${files.length}.xml`
    await write({ dir, file, text: (await streamToPromise(stream)).toString() })
    files.push(file)
  }
  const index = new SitemapIndexStream()
  for (const file of files) index.write({ url: new URL(file, siteUrl).href })
  index.end()
  await write({ dir, file: 'sitemap-index.xml', text: (await streamToPromise(index)).toString() })
  const sitemap = new URL('sitemap-index.xml', siteUrl).href
  await write({
    dir,
    file: 'robots.txt',
    text: `User-agent: *\nDisallow: /search/\n\nSitemap: ${sitemap}\n`,
  })
  return [...files, 'sitemap-index.xml', 'robots.txt']
}
