import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { brokenInternalLinks, htmlPagesOf } from '../helpers/builtSite.ts'
import { createOwnSite, type OwnSite } from '../helpers/ownSite.ts'
import {
  bodyLinking,
  draftStory,
  publishedStory,
  publishStory,
  renameStory,
  storyPageOf,
  withdrawStory,
} from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Links between stories as the site build keeps them: a story's page links to the stories its
 * body links to where they are now, and to none that left the site. Each step changes only
 * the linked story (the linking one is never saved again), builds, and checks every link of
 * the whole built site.
 */
let kitchen: TestKitchen
let payload: Payload
let ownSite: OwnSite
let linking: Story
let withdrawn: Story
let renamed: Story
let unpublished: Story

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  ownSite = await createOwnSite({ payload, mediaDir: kitchen.mediaDir, prefix: 'hongyan-site-links-' })
  const section = (
    await payload.create({ collection: collectionSlugs.sections, data: { name: '链接', order: 1 } })
  ).id
  const earlier = new Date(Date.now() - 3_600_000)
  withdrawn = await publishedStory({ payload, title: '将被撤下的报道', section, publishedAt: earlier })
  renamed = await publishedStory({ payload, title: '将改网址的报道', section, publishedAt: earlier })
  unpublished = await draftStory({ payload, title: '尚未发布的报道', section })
  linking = await publishedStory({
    payload,
    title: '链接三篇报道的稿件',
    section,
    body: bodyLinking('本报讯。', [
      { id: withdrawn.id, words: '撤稿的那篇' },
      { id: renamed.id, words: '改名的那篇' },
      { id: unpublished.id, words: '后发的那篇' },
    ]),
  })
  await ownSite.build()
}, 180_000)

afterAll(async () => {
  await ownSite?.cleanup()
  await kitchen?.cleanup()
})

const linkingPage = () => storyPageOf(ownSite.site, String(linking.slug))
const pathOf = (slug: string | null | undefined) => `/stories/${slug}/`

/** The built pages that link to `target` (a root-relative address). */
async function pagesLinkingTo(target: string): Promise<string[]> {
  const pages: string[] = []
  for (const page of await htmlPagesOf(ownSite.site))
    if ((await readFile(path.join(ownSite.site, page), 'utf8')).includes(`href="${target}"`)) pages.push(page)
  return pages
}

describe('links between stories', () => {
  it('link to the live stories, and leave an unpublished one as words', async () => {
    const html = await linkingPage()
    expect(html).toContain(`<a href="${pathOf(withdrawn.slug)}">撤稿的那篇</a>`)
    expect(html).toContain(`<a href="${pathOf(renamed.slug)}">改名的那篇</a>`)
    expect(html).toContain('，见后发的那篇')
    expect(await brokenInternalLinks(ownSite.site)).toEqual([])
  })

  it('a linked story withdrawn: after the rebuild no page links to it, and no link of the site is broken', async () => {
    await withdrawStory({ payload, id: withdrawn.id })
    const result = await ownSite.build()
    // The linking story is read again though it was not saved: what it links to changed.
    expect(result.storiesRead).toBe(1)
    const html = await linkingPage()
    expect(html).toContain('，见撤稿的那篇')
    expect(await pagesLinkingTo(pathOf(withdrawn.slug))).toEqual([])
    expect(await brokenInternalLinks(ownSite.site)).toEqual([])
  })

  it('a linked story renamed: the linking page links to its new address', async () => {
    const { slug } = await renameStory({ payload, id: renamed.id, slug: 'gai-le-wang-zhi-de-bao-dao' })
    await ownSite.build()
    const html = await linkingPage()
    expect(html).toContain(`<a href="${pathOf(slug)}">改名的那篇</a>`)
    // Its old address is a redirect page now; the story page links past it, to the new one.
    expect(html).not.toContain(`href="${pathOf(renamed.slug)}"`)
    expect(await brokenInternalLinks(ownSite.site)).toEqual([])
  })

  it('a linked story published later: the linking page links to it', async () => {
    await publishStory({ payload, id: unpublished.id })
    await ownSite.build()
    expect(await linkingPage()).toContain(`<a href="${pathOf(unpublished.slug)}">后发的那篇</a>`)
    expect(await brokenInternalLinks(ownSite.site)).toEqual([])
  })
})
