import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { brokenInternalLinks } from '../helpers/builtSite.ts'
import { createOwnSite, type OwnSite, type ServedSite, SITE_URL, serveSite } from '../helpers/ownSite.ts'
import { publishedStory, renameStory, storyPageOf } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * A published story's address changed twice: both old addresses answer with a permanent
 * redirect to the current one (a redirect page in the static site, a 301 from the site
 * server), and only the current one is in the sitemap. A former address another story takes
 * later is that story's.
 */
let kitchen: TestKitchen
let payload: Payload
let ownSite: OwnSite
let section: number
let story: Story
let server: ServedSite

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  ownSite = await createOwnSite({ payload, mediaDir: kitchen.mediaDir, prefix: 'hongyan-site-slugs-' })
  section = (await payload.create({ collection: collectionSlugs.sections, data: { name: '改名', order: 1 } }))
    .id
  story = await publishedStory({ payload, title: '三易其名的报道', section })
  await renameStory({ payload, id: story.id, slug: 'di-yi-ge-wang-zhi' })
  await ownSite.build()
  server = await serveSite({ distDir: ownSite.distDir })
}, 180_000)

afterAll(async () => {
  await server?.close()
  await ownSite?.cleanup()
  await kitchen?.cleanup()
})

const get = (address: string) => fetch(`${server.address}${address}`, { redirect: 'manual' })

/** The redirect page at a former address says where to go, four ways. */
async function expectRedirectPage({ from, to }: { from: string; to: string }) {
  const html = await readFile(path.join(ownSite.site, 'stories', from, 'index.html'), 'utf8')
  expect(html).toContain(`<link rel="canonical" href="${SITE_URL}/stories/${to}/">`)
  expect(html).toContain(`<meta http-equiv="refresh" content="0; url=/stories/${to}/">`)
  expect(html).toContain('<meta name="robots" content="noindex">')
  expect(html).toContain(`<a href="/stories/${to}/">三易其名的报道</a>`)
}

async function expect301({ from, to }: { from: string; to: string }) {
  for (const address of [`/stories/${from}/`, `/stories/${from}`, `/stories/${from}/index.html`]) {
    const response = await get(address)
    expect(response.status, address).toBe(301)
    expect(response.headers.get('location')).toBe(`/stories/${to}/`)
  }
}

const sitemap = () => readFile(path.join(ownSite.site, 'sitemap-0.xml'), 'utf8')

describe('a published story whose address changed twice', () => {
  it('keeps its former slugs, each once', async () => {
    const first = String(story.slug)
    await renameStory({ payload, id: story.id, slug: 'di-er-ge-wang-zhi' })
    await ownSite.build()
    await renameStory({ payload, id: story.id, slug: 'xian-zai-de-wang-zhi' })
    await ownSite.build()
    const stored = await payload.findByID({ collection: collectionSlugs.stories, id: story.id, depth: 0 })
    expect(stored.slug).toBe('xian-zai-de-wang-zhi')
    expect(stored.formerSlugs?.map((former) => former.slug)).toEqual([
      first,
      'di-yi-ge-wang-zhi',
      'di-er-ge-wang-zhi',
    ])
  })

  it('answers each old address with a redirect page and a 301, the sitemap listing the current one only', async () => {
    for (const from of ['di-yi-ge-wang-zhi', 'di-er-ge-wang-zhi']) {
      await expectRedirectPage({ from, to: 'xian-zai-de-wang-zhi' })
      await expect301({ from, to: 'xian-zai-de-wang-zhi' })
    }
    expect((await get('/stories/xian-zai-de-wang-zhi/')).status).toBe(200)
    expect(await storyPageOf(ownSite.site, 'xian-zai-de-wang-zhi')).toContain('三易其名的报道')
    // The redirect list is the server's own.
    expect((await get('/_redirects')).status).toBe(404)
    const listed = await sitemap()
    expect(listed).toContain(`<loc>${SITE_URL}/stories/xian-zai-de-wang-zhi/</loc>`)
    expect(listed).not.toContain('di-yi-ge-wang-zhi')
    expect(listed).not.toContain('di-er-ge-wang-zhi')
    expect(await brokenInternalLinks(ownSite.site)).toEqual([])
  })

  it('gives a former address to the story that takes it, and back to the story that left it last', async () => {
    const other = await publishedStory({ payload, title: '后来的报道', section })
    await renameStory({ payload, id: other.id, slug: 'di-yi-ge-wang-zhi' })
    await ownSite.build()
    // The new story's page, no redirect, and in the sitemap.
    const response = await get('/stories/di-yi-ge-wang-zhi/')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('后来的报道')
    expect(await sitemap()).toContain(`<loc>${SITE_URL}/stories/di-yi-ge-wang-zhi/</loc>`)
    await expect301({ from: 'di-er-ge-wang-zhi', to: 'xian-zai-de-wang-zhi' })

    // Left again, by the story that had it last: its redirect, not the first story's.
    await renameStory({ payload, id: other.id, slug: 'hou-lai-de-bao-dao' })
    await ownSite.build()
    await expect301({ from: 'di-yi-ge-wang-zhi', to: 'hou-lai-de-bao-dao' })
    await expect301({ from: 'di-er-ge-wang-zhi', to: 'xian-zai-de-wang-zhi' })
    expect(await brokenInternalLinks(ownSite.site)).toEqual([])
  })
})
