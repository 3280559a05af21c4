import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addDays,
  beijingDateKey,
  beijingDay,
  beijingWallClock,
  beijingWeek,
} from '../../cms/lib/beijingDays.ts'
import { projectRoot } from '../../cms/paths.ts'
import type { Story, User } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { approvedStory } from '../helpers/scheduledStories.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const password = 'a-long-test-password'
const domain = 'desk-views-e2e.test'

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let users: Record<'admin' | 'editor' | 'reporter', User>
let tokens: Record<'admin' | 'editor' | 'reporter', string>
let waiting: Story
let scheduled: Story
let other: Story
// Next week, in Beijing time: always ahead, and one week view holds both times.
const nextMonday = beijingWeek(addDays(new Date(), 7)).from
const firstTime = new Date(nextMonday.getTime() + 10 * 3600_000)
const movedTime = new Date(addDays(nextMonday, 2).getTime() + 15.5 * 3600_000)
const embargoEnds = new Date(beijingDay(new Date()).from.getTime() + 18 * 3600_000)

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  ;({ users, tokens } = await createStaff({ payload, domain, roles: ['admin', 'editor', 'reporter'] }))
  const twoLevels = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '要闻', order: 1, reviewLevels: 2 },
  })
  const oneLevel = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '快讯', order: 2, reviewLevels: 1 },
  })
  // The reporter's story, submitted: it waits for 初审, which the editor may sign.
  const as = { user: users.reporter, overrideAccess: false, draft: true } as const
  waiting = await payload.create({
    collection: collectionSlugs.stories,
    data: { title: '快递小哥的暖心驿站', section: twoLevels.id },
    ...as,
  })
  await payload.update({
    collection: collectionSlugs.stories,
    id: waiting.id,
    data: { stage: 'in_review' },
    ...as,
  })
  scheduled = await approvedStory({
    payload,
    writer: users.reporter,
    reviewers: [users.editor],
    title: '劳模工匠进校园',
    section: oneLevel.id,
  })
  other = await approvedStory({
    payload,
    writer: users.reporter,
    reviewers: [users.editor],
    title: '职工书屋开放日',
    section: oneLevel.id,
  })
  // Its embargo ends at 18:00 today, Beijing time: a line of 今日排期.
  await payload.create({
    collection: collectionSlugs.stories,
    data: { title: '全总发布年度维权报告', section: oneLevel.id, embargoUntil: embargoEnds.toISOString() },
    user: users.editor,
    overrideAccess: false,
    draft: true,
  })
  await schedulePublication({ storyId: scheduled.id, at: firstTime })
  await schedulePublication({ storyId: other.id, at: addDays(firstTime, 1) })
  server = await startTestKitchenServer()
}, 900_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

async function schedulePublication({ storyId, at }: { storyId: number; at: Date }) {
  const response = await kitchen.api.rest.POST(
    new Request(`http://localhost/api/stories/${storyId}/schedule`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${tokens.editor}` },
      body: JSON.stringify({ action: 'publish', at: at.toISOString() }),
    }),
    { params: Promise.resolve({ slug: ['stories', String(storyId), 'schedule'] }) },
  )
  expect(response.status).toBe(201)
}

async function schedulesOf(id: number): Promise<{ id: string; at: string }[]> {
  const response = await fetch(`${server.url}/api/stories/${id}/schedule`, {
    headers: { authorization: `JWT ${tokens.editor}` },
  })
  return ((await response.json()) as { schedules: { id: string; at: string }[] }).schedules
}

async function signIn(role: 'editor' | 'reporter'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill(`${role}@${domain}`)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  return page
}

/** Where the README's editors' guide takes its screenshots from (HONGYAN_DOCS_SCREENSHOTS=1). */
const screenshotPath = (name: string) =>
  process.env.HONGYAN_DOCS_SCREENSHOTS === '1'
    ? path.join(projectRoot, 'docs', name)
    : path.join(kitchen.mediaDir, name)

const item = (page: Page, storyId: number) => page.locator(`[data-calendar-item][data-story-id="${storyId}"]`)

describe('工作台 and 排期 in the admin', () => {
  it('shows the editor what waits for them, and moves and cancels a schedule from the calendar', async () => {
    const editor = await signIn('editor')
    const waitingRow = editor.locator('[data-desk-section="waiting"] [data-desk-row]', {
      hasText: waiting.title,
    })
    await waitingRow.waitFor()
    expect(await waitingRow.locator('[data-desk-tag]').textContent()).toBe('初审')
    expect(await waitingRow.locator('a').getAttribute('href')).toBe(
      `/admin/collections/stories/${waiting.id}`,
    )
    expect(await editor.locator('[data-desk-title]').textContent()).toBe('工作台')
    expect(await editor.locator('[data-desk-section="today"] [data-desk-row]').allTextContents()).toEqual([
      '禁发到期全总发布年度维权报告18:00',
    ])
    // Payload's own dashboard stays below: every collection's card.
    await editor.locator('.collections__card-list .card').first().waitFor()
    // Payload's nav starts closed: open it, 工作台 and 排期 first in it.
    await editor.locator('button.nav-toggler').first().click()
    await editor.locator('[data-desk-nav-link="desk"]').waitFor({ state: 'visible' })
    await editor.screenshot({ path: screenshotPath('dashboard.png') })

    await editor.locator('[data-desk-nav-link="schedule"]').click()
    await editor.waitForURL(`${server.url}/admin/schedule`)
    await editor.locator('[data-schedule-calendar][data-hydrated]').waitFor()
    await editor.locator('[data-calendar-next]').click()
    const first = item(editor, scheduled.id)
    await first.waitFor()
    expect(await first.getAttribute('data-at')).toBe(firstTime.toISOString())
    expect(
      await editor
        .locator(`[data-day="${beijingDateKey(firstTime)}"]`)
        .locator(first)
        .count(),
    ).toBe(1)
    expect(await first.textContent()).toMatch(/^10:00\s*定时发布\s*劳模工匠进校园/)
    await editor.screenshot({ path: screenshotPath('calendar.png') })

    // 改期: to Wednesday 15:30, Beijing time.
    await first.locator('[data-calendar-action="move"]').click()
    await first.locator('input[name="scheduleAt"]').fill(beijingWallClock(movedTime))
    await first.getByRole('button', { name: '确定改期' }).click()
    const moved = editor
      .locator(`[data-day="${beijingDateKey(movedTime)}"]`)
      .locator(item(editor, scheduled.id))
    await moved.waitFor()
    expect(await moved.getAttribute('data-at')).toBe(movedTime.toISOString())
    expect((await schedulesOf(scheduled.id)).map((schedule) => schedule.at)).toEqual([
      movedTime.toISOString(),
    ])
    expect(await item(editor, scheduled.id).count()).toBe(1)

    // A refusal reads as the server gave it: the other story's schedule was cancelled meanwhile.
    const second = item(editor, other.id)
    await second.locator('[data-calendar-action="cancel"]').click()
    const [gone] = await schedulesOf(other.id)
    await fetch(`${server.url}/api/stories/${other.id}/schedule/${gone?.id}`, {
      method: 'DELETE',
      headers: { authorization: `JWT ${tokens.editor}` },
    })
    await second.getByRole('button', { name: '确定取消定时' }).click()
    await expect
      .poll(() => editor.locator('[data-calendar-error]').textContent())
      .toContain('没有待执行的定时任务')

    // 取消定时.
    await moved.locator('[data-calendar-action="cancel"]').click()
    await moved.getByRole('button', { name: '确定取消定时' }).click()
    await expect.poll(() => item(editor, scheduled.id).count()).toBe(0)
    expect(await schedulesOf(scheduled.id)).toEqual([])
    const story = await kitchen.payload.findByID({
      collection: collectionSlugs.stories,
      id: scheduled.id,
      draft: true,
      depth: 0,
    })
    expect(story.stage).toBe('approved')
    await editor.close()
  }, 300_000)

  it('shows a reporter 我的稿件 only, and no 排期', async () => {
    const reporter = await signIn('reporter')
    await reporter.locator('[data-desk-section="mine"]').getByText(waiting.title).waitFor()
    expect(await reporter.locator('[data-desk-section]').count()).toBe(1)
    expect(await reporter.locator('[data-desk-nav-link="schedule"]').count()).toBe(0)
    await reporter.goto(`${server.url}/admin/schedule`)
    await reporter.locator('[data-schedule-refused]').waitFor()
    expect(await reporter.locator('[data-schedule-calendar]').count()).toBe(0)
    await reporter.close()
  }, 120_000)
})
