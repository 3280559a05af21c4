import path from 'node:path'
import type { Browser, FrameLocator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../cms/paths.ts'
import type { Media, Story } from '../../cms/payload-types.ts'
import { loadRenderer } from '../../cms/publishing/site/renderer.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const password = 'a-long-test-password'
const DRAFT_TITLE = '夜班公交司机的第一万趟'

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let story: Story
let hero: Media

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  await seedDemoContent({ payload, adminPassword: 'demo-password-1' })
  const { users } = await createStaff({ payload, domain: 'preview-e2e.test', roles: ['editor', 'reporter'] })
  const [section] = (await payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs
  const [image] = (await payload.find({ collection: collectionSlugs.media, limit: 1, depth: 0 })).docs
  if (!section || !image) throw new Error('the demo seed has no section or image')
  hero = image
  // A reporter's draft: never published, seen only in the kitchen.
  story = await payload.create({
    collection: collectionSlugs.stories,
    user: users.reporter,
    draft: true,
    data: {
      title: DRAFT_TITLE,
      summary: '凌晨一点的 N12 路，载着下夜班的环卫工、护士和外卖骑手回家。',
      section: section.id,
      heroImage: hero.id,
      stage: 'draft',
      _status: 'draft',
      body: savedState(
        root(
          paragraph(text('张师傅开夜班公交十二年，今晚是他的第一万趟。')),
          paragraph(text('车厢里的乘客，大多是刚下班的劳动者。')),
        ),
      ),
    },
    context: { isSeed: true },
  })
  // The web tab renders with the site's renderer: built now when stale, not on the first click.
  await loadRenderer()
  server = await startTestKitchenServer()
}, 600_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

async function signIn({ role }: { role: 'editor' | 'reporter' }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill(`${role}@preview-e2e.test`)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  return page
}

/** The tab page Payload's live preview frames, and the outlet shown inside it. */
function previewFrames(page: Page): { tabs: FrameLocator; outlet: FrameLocator } {
  const tabs = page.frameLocator('#live-preview-iframe')
  return { tabs, outlet: tabs.frameLocator('#outlet-frame') }
}

/** Whether the image has loaded (a broken or refused image has no natural width). */
const isLoaded = (image: HTMLImageElement) => image.complete && image.naturalWidth > 0

describe('预览 in the admin', () => {
  it('shows a reporter’s draft on the web tab, follows the typing, fits it on the 报纸 tab', async () => {
    const page = await signIn({ role: 'reporter' })
    await page.goto(`${server.url}/admin/collections/stories/${story.id}`)
    // The sidebar's box is a client component: click once the admin has settled and it has hydrated.
    await page.waitForLoadState('networkidle')
    await page.locator('[data-preview-links][data-hydrated]').waitFor()
    await page.getByRole('button', { name: '打开预览', exact: true }).click()
    const { tabs, outlet } = previewFrames(page)
    await expect.poll(() => outlet.locator('h1').textContent(), { timeout: 60_000 }).toBe(DRAFT_TITLE)
    const heroImage = outlet.locator('.hero img')
    expect(await heroImage.getAttribute('src')).toMatch(/^\/api\/media\/file\//)
    await expect.poll(() => heroImage.evaluate(isLoaded)).toBe(true)
    expect(await outlet.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex, nofollow')

    // The editor types; autosave saves the draft and the preview reloads with it.
    const typed = `${DRAFT_TITLE}（改）`
    const title = page.locator('input[name="title"]')
    await title.click()
    await title.press('End')
    await title.pressSequentially('（改）')
    await expect.poll(() => outlet.locator('h1').textContent(), { timeout: 30_000 }).toBe(typed)

    await tabs.getByRole('tab', { name: '报纸' }).click()
    await expect
      .poll(() => outlet.locator('[data-print-fit]').textContent(), { timeout: 30_000 })
      .toMatch(/^正文 \d+ \/ \d+ 字，余 \d+ 字$/)
    expect(await outlet.locator('h1').textContent()).toMatch(/^报纸 · /)

    await tabs.getByRole('tab', { name: 'RSS' }).click()
    await expect.poll(() => tabs.locator('#outlet-text').textContent(), { timeout: 30_000 }).toContain(typed)

    await tabs.getByRole('tab', { name: '网站' }).click()
    await expect.poll(() => outlet.locator('h1').textContent(), { timeout: 30_000 }).toBe(typed)
    await expect.poll(() => outlet.locator('.hero img').evaluate(isLoaded)).toBe(true)
    // The README's editors' guide shows this (HONGYAN_DOCS_SCREENSHOTS=1 writes it into docs/).
    await page.screenshot({
      path:
        process.env.HONGYAN_DOCS_SCREENSHOTS === '1'
          ? path.join(projectRoot, 'docs', 'preview.png')
          : path.join(kitchen.mediaDir, 'preview.png'),
    })
    await page.close()
  })

  it('opens a share link in a fresh browser without a session, then refuses it once revoked', async () => {
    const page = await signIn({ role: 'reporter' })
    await page.goto(`${server.url}/admin/collections/stories/${story.id}`)
    await page.waitForLoadState('networkidle')
    // A client component: its buttons answer clicks once it has hydrated.
    await page.locator('[data-preview-links][data-hydrated]').waitFor()
    await page.getByRole('button', { name: '预览链接', exact: true }).click()
    const address = page.getByRole('textbox', { name: '预览链接地址' })
    await expect
      .poll(() => address.inputValue(), { timeout: 30_000 })
      .toMatch(/\/preview\/[A-Za-z0-9_-]{43}$/)
    const url = await address.inputValue()
    expect(await page.locator('[data-preview-link-created]').textContent()).toMatch(/有效至 /)

    const stranger = await browser.newContext()
    expect(await stranger.cookies()).toEqual([])
    const reviewer = await stranger.newPage()
    const opened = await reviewer.goto(url)
    expect(opened?.status()).toBe(200)
    expect(opened?.headers()['cache-control']).toBe('private, no-store')
    expect(opened?.headers()['x-robots-tag']).toMatch(/noindex/)
    expect(await reviewer.locator('h1').textContent()).toMatch(new RegExp(`^${DRAFT_TITLE}`))
    expect(await reviewer.locator('[data-preview-banner]').textContent()).toContain('尚未发布')
    await expect.poll(() => reviewer.locator('.hero img').evaluate(isLoaded)).toBe(true)
    // Nothing else of the kitchen opens to it.
    const admin = await reviewer.goto(`${server.url}/api/stories/${story.id}/preview/web`)
    expect(admin?.status()).toBe(401)

    await page.locator('[data-preview-link-list] li').first().getByRole('button', { name: '撤销' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: '预览链接已撤销' }).count()).toBe(1)
    const refused = await reviewer.goto(url)
    expect(refused?.status()).toBe(410)
    expect(await reviewer.locator('[data-reason]').textContent()).toContain('被撤销')
    expect(await reviewer.content()).not.toContain(DRAFT_TITLE)
    await stranger.close()
    await page.close()
  })
})
