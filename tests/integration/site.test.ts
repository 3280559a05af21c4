import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PublishedStory } from '../../cms/channels/types.ts'
import { dataDir } from '../../cms/paths.ts'
import { readAllPublished } from '../../cms/publishing/plate/readPublishedStories.ts'
import { liveBuild, liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { rendererDir } from '../../cms/publishing/site/renderer.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { brokenInternalLinks, htmlPagesOf, validateHtml } from '../helpers/builtSite.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const SITE_URL = 'https://news.hongyan.example.cn'

let kitchen: TestKitchen
let distDir: string
let site: string
let published: PublishedStory[]
let embargoed: { id: number; slug?: string | null }

const pageOf = (story: { slug?: string | null }) =>
  path.join(site, 'stories', String(story.slug), 'index.html')

beforeAll(async () => {
  kitchen = await startTestKitchen()
  await seedDemoContent({ payload: kitchen.payload, now: new Date(), adminPassword: 'demo-password-1' })
  const [section] = (await kitchen.payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs
  embargoed = await kitchen.payload.create({
    collection: collectionSlugs.stories,
    data: {
      title: '禁发：全市职工技能大赛获奖名单',
      section: section?.id as number,
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
      embargoUntil: new Date(Date.now() + 86_400_000).toISOString(),
    },
    context: { isSeed: true },
  })
  distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-site-'))
  site = liveSitePath(distDir)
  await buildSite({ payload: kitchen.payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL })
  published = []
  for await (const story of readAllPublished({ payload: kitchen.payload })) published.push(story)
}, 180_000)

afterAll(async () => {
  if (distDir) await rm(distDir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

describe('the built website', () => {
  it('has a page for every published story, with its title, body, hero and people', async () => {
    expect(published.length).toBeGreaterThanOrEqual(20)
    for (const story of published) {
      const html = await readFile(pageOf(story), 'utf8')
      expect(html).toContain(`<h1>${story.title}</h1>`)
      expect(html).toContain(`<link rel="canonical" href="${SITE_URL}${story.path}">`)
      expect(html).toContain(story.bodyHtml.slice(0, 200))
      if (story.hero) {
        expect(html).toMatch(/<source type="image\/avif" srcset="\/media\/[^"]+ 1600w"/)
        expect(html).toContain(`<meta property="og:image" content="${SITE_URL}/media/`)
      }
      for (const person of story.people) expect(html).toContain(`href="/people/${person.slug}/"`)
    }
  })

  it('has no page for a draft, a scheduled or an embargoed story', async () => {
    const unpublished = await kitchen.payload.find({
      collection: collectionSlugs.stories,
      where: { _status: { equals: 'draft' } },
      pagination: false,
      depth: 0,
      draft: true,
    })
    expect(unpublished.docs.length).toBeGreaterThan(0)
    for (const story of unpublished.docs) expect(existsSync(pageOf(story))).toBe(false)
    expect(embargoed.slug).toBeTruthy()
    expect(existsSync(pageOf(embargoed))).toBe(false)
    expect(published.map((story) => story.id)).not.toContain(embargoed.id)
    const storyDirs = await readdir(path.join(site, 'stories'))
    expect(storyDirs.sort()).toEqual(published.map((story) => story.slug).sort())
  })

  it('describes each story for search engines and social cards', async () => {
    const story = published.find((s) => s.hero && s.people.length > 0)
    if (!story) throw new Error('the demo has no story with a hero image and people')
    const html = await readFile(pageOf(story), 'utf8')
    const [, json] = html.match(/<script type="application\/ld\+json">(.*?)<\/script>/) ?? []
    const data = JSON.parse(json ?? 'null')
    expect(data).toMatchObject({
      '@type': 'NewsArticle',
      headline: story.title,
      datePublished: story.publishedAt,
      inLanguage: 'zh-CN',
      image: [expect.stringMatching(new RegExp(`^${SITE_URL}/media/.+-1200x630\\.webp$`))],
    })
    expect(html).toContain('<html lang="zh-CN">')
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">')
    const person = story.people[0]
    const profile = await readFile(path.join(site, 'people', String(person?.slug), 'index.html'), 'utf8')
    expect(profile).toContain('"@type":"Person"')
    expect(profile).toContain(story.title)
    const sitemap = await readFile(path.join(site, 'sitemap-0.xml'), 'utf8')
    for (const s of published) expect(sitemap).toContain(`<loc>${SITE_URL}${s.path}</loc>`)
    expect(await readFile(path.join(site, 'robots.txt'), 'utf8')).toContain(
      `Sitemap: ${SITE_URL}/sitemap-index.xml`,
    )
  })

  it('publishes RSS, Atom and JSON feeds of the published stories only, discoverable from every page', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' })
    const rss = parser.parse(await readFile(path.join(site, 'rss.xml'), 'utf8')).rss
    const guids = (rss.channel.item as { guid: { '#text': string } }[]).map((item) => item.guid['#text'])
    expect(guids).toEqual(published.slice(0, 50).map((story) => story.guid))
    expect(guids).not.toContain(`urn:hongyan:story:${embargoed.id}`)
    const section = published[0]?.section
    if (!section) throw new Error('the newest story has no section')
    const sectionRss = parser.parse(
      await readFile(path.join(site, 'sections', section.slug, 'rss.xml'), 'utf8'),
    ).rss
    const sectionItems = [sectionRss.channel.item].flat() as { link: string }[]
    expect(sectionItems.map((item) => item.link)).toEqual(
      published
        .filter((story) => story.section?.id === section.id)
        .map((story) => `${SITE_URL}${story.path}`),
    )
    const atom = parser.parse(await readFile(path.join(site, 'atom.xml'), 'utf8')).feed
    expect((atom.entry as unknown[]).length).toBe(Math.min(50, published.length))
    const json = JSON.parse(await readFile(path.join(site, 'feed.json'), 'utf8'))
    expect(json.items.map((item: { id: string }) => item.id)).toEqual(guids)
    const home = await readFile(path.join(site, 'index.html'), 'utf8')
    expect(home).toContain(
      '<link rel="alternate" type="application/rss+xml" title="鸿雁职工新闻 RSS" href="/rss.xml">',
    )
    expect(home).toContain(
      '<link rel="alternate" type="application/feed+json" title="鸿雁职工新闻 JSON Feed" href="/feed.json">',
    )
  })

  it('links to nothing that is not there', async () => {
    expect(await brokenInternalLinks(site)).toEqual([])
  })

  it('is valid HTML on every page (W3C Nu checker)', async () => {
    const pages = (await htmlPagesOf(site)).map((page) => path.join(site, page))
    expect(pages.length).toBeGreaterThan(50)
    const messages = await validateHtml(pages)
    expect(
      messages.map((m) => `${m.url?.replace(/^.*\/site-builds\/[^/]+\//, '')}:${m.lastLine} ${m.message}`),
    ).toEqual([])
  }, 120_000)

  it('re-renders exactly what a correction changes on the next build, and reuses the rest', async () => {
    // A story a newer story of its section lists among its related (earlier) stories.
    const all = published.map((story) => story)
    const target = all.find((story) =>
      all.some(
        (other) =>
          other.id !== story.id &&
          other.section?.id === story.section?.id &&
          other.publishedAt > story.publishedAt,
      ),
    )
    if (!target) throw new Error('no story shares a section with a newer one')
    const untouched = all.find(
      (story) =>
        story.id !== target.id &&
        story.section?.id !== target.section?.id &&
        !story.tags.some((t) => target.tags.includes(t)),
    )
    const before = await liveBuild({ distDir })
    const untouchedBefore = untouched ? await readFile(pageOf(untouched), 'utf8') : ''
    const title = `${target.title}（更正）`
    await kitchen.payload.update({
      collection: collectionSlugs.stories,
      id: target.id,
      data: { title, stage: 'corrected', corrections: [{ note: '标题更正' }], _status: 'published' },
      context: { isSeed: true },
    })
    const rebuilt = await buildSite({
      payload: kitchen.payload,
      distDir,
      mediaDir: kitchen.mediaDir,
      siteUrl: SITE_URL,
    })
    // Only the pages that show the story were rendered; the others were linked from the last build.
    expect(rebuilt.storiesRead).toBe(1)
    expect(rebuilt.pagesRendered).toBeGreaterThan(0)
    expect(rebuilt.pagesReused).toBeGreaterThan(rebuilt.pagesRendered)
    expect(await readFile(pageOf(target), 'utf8')).toContain(`<h1>${title}</h1>`)
    // Every page that lists it as related shows the new title too.
    const listing = []
    for (const page of await htmlPagesOf(site)) {
      if (!page.startsWith('stories/') || page === `stories/${target.slug}/index.html`) continue
      const html = await readFile(path.join(site, page), 'utf8')
      if (html.includes(`href="/stories/${target.slug}/"`)) listing.push(html)
    }
    expect(listing.length).toBeGreaterThan(0)
    for (const html of listing) expect(html).toContain(title)
    if (untouched) {
      expect(await readFile(pageOf(untouched), 'utf8')).toBe(untouchedBefore)
      // The very same file as in the build before: linked, not rendered again.
      const inode = async (build: string) =>
        (await stat(path.join(build, 'stories', String(untouched.slug), 'index.html'))).ino
      expect(await inode(rebuilt.buildDir)).toBe(await inode(String(before)))
    }
    // Search is no part of the build: no index is written beside the pages.
    expect(existsSync(path.join(site, 'pagefind'))).toBe(false)
    expect(existsSync(path.join(distDir, 'site-search'))).toBe(false)
  }, 120_000)

  it('drops a withdrawn story on the next build, and a failed build leaves the last good site', async () => {
    const story = published.at(-1)
    if (!story) throw new Error('nothing published')
    await kitchen.payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: 'withdrawn', withdrawnReason: '测试撤稿', _status: 'published' },
      context: { isSeed: true },
    })
    const previous = await liveBuild({ distDir })
    const updated = await buildSite({
      payload: kitchen.payload,
      distDir,
      mediaDir: kitchen.mediaDir,
      siteUrl: SITE_URL,
    })
    // Updated in place: its page is gone from the live build, its folder with it (search
    // dropped it in the withdrawing save: see tests/integration/search.test.ts).
    expect(updated.buildDir).toBe(previous)
    expect(existsSync(pageOf(story))).toBe(false)
    expect(existsSync(path.dirname(pageOf(story)))).toBe(false)
    expect(await readFile(path.join(site, 'rss.xml'), 'utf8')).not.toContain(story.title)

    // A build for another address renders every page into a new build, swapped in whole.
    const moved = await buildSite({
      payload: kitchen.payload,
      distDir,
      mediaDir: kitchen.mediaDir,
      siteUrl: 'https://other.example.cn',
    })
    expect(moved.buildDir).not.toBe(previous)
    expect(moved.pagesReused).toBe(0)
    expect(await readFile(path.join(site, 'index.html'), 'utf8')).toContain('https://other.example.cn/')
    const good = await liveBuild({ distDir })
    const buildsBefore = await readdir(path.join(distDir, 'site-builds'))
    await expect(
      buildSite({ payload: kitchen.payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: 'not a url' }),
    ).rejects.toThrow(/site address/)
    expect(await liveBuild({ distDir })).toBe(good)
    expect(await readdir(path.join(distDir, 'site-builds'))).toEqual(buildsBefore)
    expect(existsSync(path.join(site, 'index.html'))).toBe(true)
  }, 120_000)

  it('fails a build whose story pages fail to render, promptly, and keeps the last good site', async () => {
    // A renderer that fails every story page: a copy of the real one behind a failing entry.
    // Inside the project, so that its imports find the project's packages.
    await mkdir(dataDir, { recursive: true })
    const broken = await mkdtemp(path.join(dataDir, 'test-renderer-'))
    await cp(rendererDir(), broken, { recursive: true })
    const entry = path.join(broken, 'server', 'entry.mjs')
    await rename(entry, path.join(broken, 'server', 'entry.original.mjs'))
    await writeFile(
      entry,
      [
        "import * as original from './entry.original.mjs'",
        'export function renderPage(input) {',
        "  if (input.page.kind === 'story') throw new Error('测试：稿件页渲染失败')",
        '  return original.renderPage(input)',
        '}',
      ].join('\n'),
    )
    const good = await liveBuild({ distDir })
    const buildsBefore = await readdir(path.join(distDir, 'site-builds'))
    process.env.HONGYAN_SITE_RENDERER_DIR = broken
    try {
      await expect(
        buildSite({ payload: kitchen.payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL }),
      ).rejects.toThrow(/稿件页渲染失败/)
    } finally {
      delete process.env.HONGYAN_SITE_RENDERER_DIR
      await rm(broken, { recursive: true, force: true })
    }
    expect(await liveBuild({ distDir })).toBe(good)
    expect(await readdir(path.join(distDir, 'site-builds'))).toEqual(buildsBefore)
    // The next build, with the real renderer, goes through.
    const next = await buildSite({
      payload: kitchen.payload,
      distDir,
      mediaDir: kitchen.mediaDir,
      siteUrl: SITE_URL,
    })
    expect(next.stories).toBeGreaterThan(0)
    expect(await liveBuild({ distDir })).not.toBe(good)
  }, 120_000)
})
