import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { houseRights } from '../../cms/channels/house.ts'
import { describeDuration } from '../../cms/channels/tv/script.ts'
import type { ColumnIssue, TvEpisode } from '../../cms/payload-types.ts'
import { plateStory } from '../../cms/publishing/plate/plateStory.ts'
import { readApprovedStory } from '../../cms/publishing/plate/readApprovedStory.ts'
import { fitIssue } from '../../cms/publishing/print/columnFit.ts'
import { fitEpisode } from '../../cms/publishing/tv/episodeFit.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const password = 'a-long-test-password'

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let storyId = 0
let issue: ColumnIssue
let episode: TvEpisode

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  await seedDemoContent({ payload: kitchen.payload, adminPassword: 'demo-password-1' })
  await createStaff({ payload: kitchen.payload, domain: 'counts.test', roles: ['editor'] })
  const stories = await kitchen.payload.find({
    collection: collectionSlugs.stories,
    where: { title: { equals: '陈海生：把焊缝焊成“免检产品”' } },
    depth: 0,
  })
  storyId = stories.docs[0]?.id ?? 0
  issue = (
    await kitchen.payload.find({
      collection: collectionSlugs.columnIssues,
      depth: 0,
      context: { skipFit: true },
    })
  ).docs[0] as ColumnIssue
  episode = (
    await kitchen.payload.find({
      collection: collectionSlugs.tvEpisodes,
      depth: 0,
      context: { skipFit: true },
    })
  ).docs[0] as TvEpisode
  server = await startTestKitchenServer()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

/** The story's edit view as an editor sees it, once its client components have settled. */
async function openStory(): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill('editor@counts.test')
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  await page.goto(`${server.url}/admin/collections/stories/${storyId}`)
  await page.waitForLoadState('networkidle')
  // Typing counts once the box has hydrated (it follows the form from then on) and Lexical
  // has taken over the body's contenteditable.
  await page.locator('[data-live-counts][data-hydrated]').waitFor()
  await page.locator('[data-lexical-editor="true"]').first().waitFor({ state: 'visible' })
  return page
}

const rowText = (page: Page, selector: string) =>
  page.locator(`[data-live-counts] [data-count-row="${selector}"]`).first().textContent()

/** The first number of a row: `正文 1,234 字` → 1234, `报纸 …：1,234 / 3,080 字` → 1234. */
const usedIn = (text: string | null) =>
  Number(/[：\s](\d[\d,]*) /.exec(text ?? '')?.[1]?.replaceAll(',', '') ?? NaN)

/** `12月1日`: a date field's day in Beijing. */
const monthDay = (iso: string) => {
  const day = new Date(Date.parse(iso) + 8 * 3_600_000)
  return `${day.getUTCMonth() + 1}月${day.getUTCDate()}日`
}

/** Types at the end of the body's last paragraph, as an editor does. */
async function typeAtEnd({ page, words }: { page: Page; words: string }) {
  await page.locator('[data-lexical-editor="true"] p').last().click()
  await page.keyboard.press('Control+End')
  await page.keyboard.type(words)
}

describe('字数统计 in the story sidebar', () => {
  it('shows the saved body’s counts as the outlets count it, and follows the typing without a save', async () => {
    const story = await readApprovedStory({ payload: kitchen.payload, id: storyId })
    if (!story) throw new Error('the seeded story is missing')
    const plate = plateStory({ doc: story, rights: houseRights })
    const running = (await fitIssue({ payload: kitchen.payload, issue })).slots[0]?.story.counts.running ?? 0
    const seconds =
      (await fitEpisode({ payload: kitchen.payload, episode })).segments[0]?.script.totalSeconds ?? 0
    const page = await openStory()
    await expect
      .poll(() => rowText(page, 'body'), { timeout: 30_000 })
      .toBe(`正文 ${plate.counts.total.toLocaleString('en-US')} 字 · 约 ${plate.readingMinutes} 分钟`)
    await expect
      .poll(() => rowText(page, 'print'))
      .toBe(`报纸 劳动者之窗 ${monthDay(issue.issueDate)}：${running.toLocaleString('en-US')} / 3,080 字`)
    await expect
      .poll(() => rowText(page, 'tv'))
      .toBe(`电视 劳动者 ${monthDay(episode.airDate)}：${describeDuration(seconds)} / 5分00秒`)
    expect(await rowText(page, 'wechat')).toMatch(/^公众号：\d{1,2},\d{3} \/ 20,000 字符$/)
    expect(await page.locator('[data-live-counts] [data-over="true"]').count()).toBe(0)

    await typeAtEnd({ page, words: '焊花飞溅，船坞里灯火通明' })
    // 11 汉字 and a comma: 12 字 more, in the body and in print's running count.
    await expect.poll(() => rowText(page, 'body').then(usedIn)).toBe(plate.counts.total + 12)
    await expect.poll(() => rowText(page, 'print').then(usedIn)).toBe(running + 12)
    await page.close()
  })

  it('turns the print slot red and marks it over once the typing passes its budget', async () => {
    const running = (await fitIssue({ payload: kitchen.payload, issue })).slots[0]?.story.counts.running ?? 0
    // Room for 20 字 more than the saved story: the first test's typing (perhaps autosaved) fits.
    const budget = running + 20
    await kitchen.payload.update({
      collection: collectionSlugs.columnIssues,
      id: issue.id,
      data: { slots: (issue.slots ?? []).map((slot, index) => (index === 0 ? { ...slot, budget } : slot)) },
      context: { skipFit: true },
    })
    const page = await openStory()
    const print = page.locator('[data-live-counts] [data-count-row="print"]')
    await expect
      .poll(() => print.textContent(), { timeout: 30_000 })
      .toContain(` / ${budget.toLocaleString('en-US')} 字`)
    expect(await print.getAttribute('data-over')).toBe('false')

    await typeAtEnd({ page, words: '二十多年来他始终坚守在焊接一线从未离开过船坞一步' })
    await expect.poll(() => print.getAttribute('data-over')).toBe('true')
    expect(await print.textContent()).toMatch(/（超出 \d+ 字）$/)
    expect(await print.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(180, 35, 24)')
    await page.close()
  })
})
