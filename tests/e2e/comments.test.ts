import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story, User } from '../../cms/payload-types.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const password = 'a-long-test-password'
const domain = 'comments-e2e.test'
const COMMENT = '@reporter 第二段的数字请再核一遍，周五见报。'

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let users: Record<'admin' | 'editor' | 'reporter', User>
let story: Story

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  ;({ users } = await createStaff({ payload, domain, roles: ['admin', 'editor', 'reporter'] }))
  const section = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '要闻', order: 1 },
  })
  story = await payload.create({
    collection: collectionSlugs.stories,
    user: users.reporter,
    overrideAccess: false,
    draft: true,
    data: {
      title: '职工书屋新到一批技术书',
      section: section.id,
      body: savedState(root(paragraph(text('职工书屋新到一批技术书。')))) as unknown as Story['body'],
    },
  })
  server = await startTestKitchenServer()
}, 600_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

async function signIn(role: 'editor' | 'reporter'): Promise<Page> {
  // Wide enough for Payload to keep its nav open (narrower, the nav is a closed drawer).
  const page = await browser.newPage({ viewport: { width: 1680, height: 1000 } })
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill(`${role}@${domain}`)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  return page
}

const navLink = (page: Page) => page.locator('[data-notifications-link][data-hydrated]')

describe('稿件意见 and 通知 in the admin', () => {
  it('an editor’s comment mentioning a reporter reaches the reporter’s inbox', async () => {
    const editor = await signIn('editor')
    await editor.goto(`${server.url}/admin/collections/stories/${story.id}`)
    const thread = editor.locator('[data-story-comments][data-hydrated]')
    await thread.waitFor()
    await expect.poll(() => thread.textContent()).toContain('还没有意见')
    await thread.locator('textarea[name="commentBody"]').fill(COMMENT)
    await thread.getByRole('button', { name: '发表意见' }).click()
    const posted = thread.locator('[data-comment]')
    await expect.poll(() => posted.count()).toBe(1)
    expect(await posted.locator('[data-comment-body]').textContent()).toBe(COMMENT)
    expect(await posted.textContent()).toMatch(/^editor · \d+月\d+日 \d\d:\d\d/)
    const [comment] = (
      await kitchen.payload.find({
        collection: collectionSlugs.storyComments,
        where: { story: { equals: story.id } },
      })
    ).docs
    expect(comment).toMatchObject({ author: expect.objectContaining({ id: users.editor.id }) })
    // The editor was not mentioned: no count in their nav.
    expect(await navLink(editor).textContent()).toBe('通知')

    const reporter = await signIn('reporter')
    await expect.poll(() => navLink(reporter).textContent()).toBe('通知 (1)')
    await navLink(reporter).click()
    await reporter.waitForURL(`${server.url}/admin/collections/notifications**`)
    const line = `editor 在《职工书屋新到一批技术书》的意见中提到了你：${COMMENT}`
    const row = reporter.getByRole('link', { name: line })
    await row.waitFor()
    await row.click()
    // Opening it marks it read; the count goes.
    await reporter.locator('[data-mark-read]').waitFor()
    await expect.poll(() => navLink(reporter).textContent()).toBe('通知')
    // The nav's count may read before the mark-read request has landed: wait for the database.
    await expect
      .poll(async () => {
        const [notification] = (
          await kitchen.payload.find({
            collection: collectionSlugs.notifications,
            where: { recipient: { equals: users.reporter.id } },
          })
        ).docs
        return notification?.readAt
      })
      .toBeTruthy()
    await reporter.locator('[data-mark-read]').getByRole('link', { name: '打开稿件' }).click()
    await reporter.waitForURL(`${server.url}/admin/collections/stories/${story.id}`)
    await expect
      .poll(() =>
        reporter.locator('[data-story-comments][data-hydrated] [data-comment-body]').allTextContents(),
      )
      .toEqual([COMMENT])
  })
})
