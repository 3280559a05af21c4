import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story } from '../../cms/payload-types.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/** 发稿检查 in the story's sidebar, through the real admin in Chromium. */
let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let storyId = 0

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  const { users } = await createStaff({ payload, domain: 'checks.test', roles: ['admin', 'editor'] })
  await payload.create({
    collection: collectionSlugs.houseTerms,
    data: { term: '残废人', severity: 'block', replacement: '残疾人', note: '新华社禁用词' },
  })
  const section = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '检查', order: 1 },
  })
  const story = await payload.create({
    collection: collectionSlugs.stories,
    data: {
      title: '残废人也能上岗',
      section: section.id,
      body: savedState(root(paragraph(text('职工书屋新到一批技术书。')))) as unknown as Story['body'],
    },
    draft: true,
    user: users.editor,
    overrideAccess: false,
  })
  storyId = story.id
  server = await startTestKitchenServer()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

async function openStory(): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill('editor@checks.test')
  await page.locator('input[name="password"]').fill('a-long-test-password')
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  await page.goto(`${server.url}/admin/collections/stories/${storyId}`)
  await page.waitForLoadState('networkidle')
  // A client component: its 去修改 links answer clicks once it has hydrated.
  await page.locator('[data-story-checks][data-hydrated]').waitFor()
  return page
}

describe('发稿检查 in the story sidebar', () => {
  it('lists a blocking finding with a link to its field, and clears it after the fix is autosaved', async () => {
    const page = await openStory()
    const box = page.locator('[data-story-checks]')
    const finding = box.locator('[data-check="term_forbidden"]')
    await expect.poll(() => finding.textContent(), { timeout: 30_000 }).toContain('阻断')
    expect(await finding.textContent()).toContain('主题中有禁用词“残废人”：请改为“残疾人”')
    expect(await box.locator('[data-checks-summary]').textContent()).toContain('1 项阻断')

    await finding.getByRole('link', { name: '去修改' }).click()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('field-title')

    await page.locator('#field-title').fill('残疾人也能上岗')
    // Autosave (every 2 s) saves the draft; the box checks the saved version again.
    await expect
      .poll(() => box.locator('[data-checks-summary]').textContent(), { timeout: 30_000 })
      .toContain('全部通过')
    expect(await box.locator('[data-check]').count()).toBe(0)
    await page.close()
  })
})
