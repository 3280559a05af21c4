import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../cms/paths.ts'
import type { Story, User } from '../../cms/payload-types.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { approvedStory, timesPublished } from '../helpers/scheduledStories.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const password = 'a-long-test-password'
const domain = 'desk-e2e.test'
const REASON = '导语太长，请压到一百字以内'

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let worker: ChildProcess | undefined
type DeskRole = 'admin' | 'editor' | 'reporter' | 'deskHead' | 'chief'
let users: Record<DeskRole, User>
let tokens: Record<DeskRole, string>
let sectionId = 0
let story: Story

/**
 * What the flow did, with the time since the file started: printed only when a test fails
 * (vitest's `silent: 'passed-only'`), so a failure on CI says which step it stopped at.
 */
const startedAt = Date.now()
function step(what: string): void {
  console.log(`[desk ${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${what}`)
}

/** A request to the kitchen's REST API as `role`, bounded so a stuck answer fails the step. */
async function api(role: DeskRole, path: string, init: { method?: string; body?: unknown } = {}) {
  step(`${init.method ?? 'GET'} ${path} as ${role}`)
  return fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', authorization: `JWT ${tokens[role]}` },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(60_000),
  })
}

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  ;({ users, tokens } = await createStaff({
    payload,
    domain,
    roles: ['admin', 'editor', 'reporter', 'deskHead', 'chief'],
  }))
  // 三审: 初审 by an editor, 复审 by the desk head (部门主任), 签发 by the chief editor (总编辑).
  sectionId = (
    await payload.create({
      collection: collectionSlugs.sections,
      data: { name: '劳模风采', order: 1, reviewLevels: 3 },
    })
  ).id
  // The reporter's draft, written as the reporter (access checked).
  story = await payload.create({
    collection: collectionSlugs.stories,
    user: users.reporter,
    overrideAccess: false,
    draft: true,
    data: {
      title: '环卫工人的午休驿站开张',
      summary:
        '全市首批二十个环卫工人午休驿站今天开张，每个驿站都有空调、热水和微波炉，附近的快递员、外卖骑手也可以进来歇歇脚，工会还为驿站配了急救包和常用药。',
      section: sectionId,
      body: savedState(
        root(paragraph(text('全市首批环卫工人午休驿站今天开张。'))),
      ) as unknown as Story['body'],
    },
  })
  server = await startTestKitchenServer()
  worker = await startWorkerProcess({
    env: {
      DATABASE_URL: kitchen.databaseUrl,
      HONGYAN_MEDIA_DIR: kitchen.mediaDir,
      HONGYAN_DIST_DIR: kitchen.distDir,
    },
  })
}, 600_000)

afterAll(async () => {
  worker?.kill('SIGTERM')
  // The flow's pages close with the browser: a page closed right after an action's reload
  // (取消定时 reloads the story) has waited on CI past the test's time.
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

async function signIn(role: Exclude<DeskRole, 'admin'>): Promise<Page> {
  // Wide enough that Payload keeps its nav open (通知, 工作台 and 排期 are in it).
  const page = await browser.newPage({ viewport: { width: 1680, height: 1000 } })
  step(`${role} signs in`)
  page.setDefaultTimeout(60_000)
  page.on('pageerror', (err) => console.log(`[${role}] page error: ${err.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${role}] console: ${message.text()}`)
  })
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill(`${role}@${domain}`)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  return page
}

/** Goes to `url` (an action's reload has finished by then: `press` waits for it). */
async function navigate(page: Page, url: string): Promise<void> {
  step(`goes to ${url.replace(server.url, '')}`)
  await page.goto(url)
}

async function openStory(page: Page, id: number): Promise<void> {
  await navigate(page, `${server.url}/admin/collections/stories/${id}`)
  // The action bar is a client component: click once the admin has hydrated and settled.
  step('waits for the story page to settle')
  await page.waitForLoadState('networkidle')
  // A client component: its buttons answer clicks once it has hydrated.
  await page.locator('[data-story-actions][data-hydrated]').waitFor()
}

/**
 * Clicks a button that sends an action and waits for the page's answer: the reload that follows
 * an accepted action (the database shows the change before it, and a navigation started during
 * it would be aborted), or the line that says why it was refused.
 */
async function press(page: Page, button: ReturnType<Page['locator']>, answer: Answer): Promise<void> {
  const reloaded = answer === 'reload' ? page.waitForEvent('load') : undefined
  await button.click()
  if (reloaded) await reloaded
  else await page.locator('[data-action-error]').waitFor()
  step(`the action is answered with a ${answer}`)
}

type Answer = 'reload' | 'refusal'

/** Clicks an action and, for one that asks, fills its form and confirms it. */
async function act(
  page: Page,
  label: string,
  fill?: (form: ReturnType<Page['locator']>) => Promise<void>,
  answer: Answer = 'reload',
) {
  step(`clicks ${label}`)
  const button = page.locator('[data-story-actions]').getByRole('button', { name: label, exact: true })
  if (!fill) return press(page, button, answer)
  await button.click()
  const form = page.locator('[data-action-form]')
  await fill(form)
  await press(page, form.getByRole('button', { name: `确定${label}` }), answer)
}

/** The story's standing signatures as [level, signer, note]. */
async function signersOf(id: number): Promise<[number, number | undefined, string | null][]> {
  const stored = await kitchen.payload.findByID({ collection: 'stories', id, draft: true, depth: 0 })
  return (stored.signatures ?? [])
    .filter((signature) => !signature.voidedAt)
    .map((signature) => [
      signature.level,
      typeof signature.by === 'object' ? signature.by?.id : (signature.by ?? undefined),
      signature.note ?? null,
    ])
}

async function stageOf(id: number): Promise<string | null | undefined> {
  return (await kitchen.payload.findByID({ collection: 'stories', id, draft: true, depth: 0 })).stage
}

const buttons = (page: Page) => page.locator('[data-story-actions] button[data-action]').allTextContents()

async function schedulesOf(id: number): Promise<{ id: string; at: string }[]> {
  const response = await api('editor', `/api/stories/${id}/schedule`)
  return ((await response.json()) as { schedules: { id: string; at: string }[] }).schedules
}

/** Waits past Beijing midnight when it is less than four minutes away (days and weeks turn there). */
async function clearOfBeijingMidnight(): Promise<void> {
  const msIntoBeijingDay = (Date.now() + 8 * 3600_000) % 86_400_000
  const msToMidnight = 86_400_000 - msIntoBeijingDay
  if (msToMidnight < 4 * 60_000) await new Promise((resolve) => setTimeout(resolve, msToMidnight + 5_000))
}

/** The next whole minute at least 70 s away, as a Beijing wall-clock time and as an instant. */
function beijingMinuteAhead(): { wallClock: string; at: Date } {
  const at = new Date(Math.ceil((Date.now() + 70_000) / 60_000) * 60_000)
  const wallClock = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16)
  return { wallClock, at }
}

describe('the desk in the admin', () => {
  it('takes a story from the reporter through a send-back, three review levels and a schedule, published once', async () => {
    const reporter = await signIn('reporter')
    await openStory(reporter, story.id)
    expect(await buttons(reporter)).toEqual(['提交审核'])
    await act(reporter, '提交审核')
    await expect.poll(() => stageOf(story.id)).toBe('in_review')
    await reporter.locator('[data-story-actions]').getByText('当前：待审').waitFor()
    // A reporter has no desk buttons, and the server refuses the move when it is asked over REST.
    expect(await buttons(reporter)).toEqual(['撤回'])
    const byRest = await api('reporter', `/api/stories/${story.id}?draft=true`, {
      method: 'PATCH',
      body: { stage: 'approved' },
    })
    expect(byRest.status).toBe(400)
    expect(JSON.stringify(await byRest.json())).toContain('您的角色无权')
    expect(await stageOf(story.id)).toBe('in_review')

    const editor = await signIn('editor')
    await openStory(editor, story.id)
    expect(await buttons(editor)).toEqual(['退回修改', '初审通过'])
    expect(await editor.locator('[data-review-levels]').textContent()).toContain(
      '审核（3 级）：初审 待签 · 复审 待签 · 终审 待签',
    )
    await act(editor, '退回修改', async () => {}, 'refusal')
    await expect
      .poll(() => editor.locator('[data-action-error]').textContent())
      .toContain('退回修改须写明原因')
    expect(await stageOf(story.id)).toBe('in_review')
    await editor.locator('[data-action-form] textarea').fill(REASON)
    await press(
      editor,
      editor.locator('[data-action-form]').getByRole('button', { name: '确定退回修改' }),
      'reload',
    )
    await expect.poll(() => stageOf(story.id)).toBe('draft')

    // The reporter reads why in 通知 (the inbox), on the story, and in its history as a sentence.
    await navigate(reporter, `${server.url}/admin`)
    const inbox = reporter.locator('[data-notifications-link][data-hydrated]')
    await expect.poll(() => inbox.textContent()).toBe('通知 (1)')
    await inbox.click()
    await reporter.waitForURL(`${server.url}/admin/collections/notifications**`)
    await reporter.getByRole('link', { name: `editor 退回了《环卫工人的午休驿站开张》：${REASON}` }).waitFor()
    await openStory(reporter, story.id)
    expect(await reporter.locator('[data-send-back]').textContent()).toContain(`退回修改：${REASON}`)
    await expect
      .poll(() => reporter.locator('[data-stage-change]').allTextContents())
      .toContainEqual(
        expect.stringMatching(new RegExp(`^待审 → 草稿 · editor · \\d+月\\d+日 \\d\\d:\\d\\d · ${REASON}$`)),
      )
    // Fixes the summary (over REST: typing in the form would lock the story against the editor's
    // next action for five minutes, as Payload locks a document being edited) and sends it in again.
    const fixed = await api('reporter', `/api/stories/${story.id}?draft=true`, {
      method: 'PATCH',
      body: { summary: '全市首批二十个环卫工人午休驿站今天开张。' },
    })
    expect(fixed.status).toBe(200)
    await openStory(reporter, story.id)
    await act(reporter, '提交审核')
    await expect.poll(() => stageOf(story.id)).toBe('in_review')

    // 初审 by the editor, with a note; the story waits for 复审, which an editor may not sign.
    await openStory(editor, story.id)
    await act(editor, '初审通过', async (form) => {
      await form.locator('textarea').fill('事实已核对')
    })
    await expect.poll(() => signersOf(story.id)).toEqual([[1, users.editor.id, '事实已核对']])
    expect(await stageOf(story.id)).toBe('in_review')
    await openStory(editor, story.id)
    await expect
      .poll(() => editor.locator('[data-review-levels]').textContent())
      .toContain('初审 ✓ editor · 复审 待签 · 终审 待签')
    expect(await buttons(editor)).toEqual(['退回修改'])

    // 复审 by the desk head, who then may not sign 签发 as well: no button, and refused over REST.
    const deskHead = await signIn('deskHead')
    await openStory(deskHead, story.id)
    expect(await buttons(deskHead)).toEqual(['退回修改', '复审通过'])
    await act(deskHead, '复审通过', async () => {})
    await expect.poll(() => signersOf(story.id)).toHaveLength(2)
    await openStory(deskHead, story.id)
    expect(await buttons(deskHead)).toEqual(['退回修改'])
    for (const role of ['deskHead', 'editor'] as const) {
      const signOff = await api(role, `/api/stories/${story.id}?draft=true`, {
        method: 'PATCH',
        body: { stage: 'approved' },
      })
      expect(signOff.status).toBe(400)
      expect(JSON.stringify(await signOff.json())).toContain('终审须由总编辑签字')
    }
    expect(await stageOf(story.id)).toBe('in_review')

    // 签发 by the chief editor: now the story is 已审定.
    const chief = await signIn('chief')
    await openStory(chief, story.id)
    expect(await buttons(chief)).toEqual(['退回修改', '签发'])
    await act(chief, '签发', async (form) => {
      await form.locator('textarea').fill('同意签发')
    })
    await expect.poll(() => stageOf(story.id)).toBe('approved')
    expect(await signersOf(story.id)).toEqual([
      [1, users.editor.id, '事实已核对'],
      [2, users.deskHead.id, null],
      [3, users.chief.id, '同意签发'],
    ])

    await openStory(editor, story.id)
    await expect
      .poll(() => editor.locator('[data-review-levels]').textContent())
      .toContain('初审 ✓ editor · 复审 ✓ deskHead · 终审 ✓ chief')
    expect(await buttons(editor)).toEqual(['退回修改', '发布', '定时发布'])
    // 今日排期 and the week view hold today's schedules: never schedule across Beijing midnight.
    await clearOfBeijingMidnight()
    const due = beijingMinuteAhead()
    await act(editor, '定时发布', async (form) => {
      await form.locator('input[name="scheduleAt"]').fill(due.wallClock)
      expect(await form.locator('select[name="scheduleZone"]').inputValue()).toBe('Asia/Shanghai')
    })
    await expect.poll(() => stageOf(story.id)).toBe('scheduled')
    expect((await schedulesOf(story.id)).map((schedule) => schedule.at)).toEqual([due.at.toISOString()])
    await editor.locator('[data-pending-schedule]').waitFor()
    expect(await buttons(editor)).toEqual(['发布', '取消定时'])
    // The README's editors' guide shows this (HONGYAN_DOCS_SCREENSHOTS=1 writes it into docs/).
    await editor.locator('[data-story-actions]').screenshot({
      path:
        process.env.HONGYAN_DOCS_SCREENSHOTS === '1'
          ? path.join(projectRoot, 'docs', 'desk-actions.png')
          : path.join(kitchen.mediaDir, 'desk-actions.png'),
    })

    // The schedule is on the editor's 工作台 under 今日排期, and in the week of 排期.
    await navigate(editor, `${server.url}/admin`)
    await editor
      .locator('[data-desk-section="today"] [data-desk-row]', { hasText: '环卫工人的午休驿站开张' })
      .waitFor()
    await navigate(editor, `${server.url}/admin/schedule`)
    await editor.locator('[data-schedule-calendar][data-hydrated]').waitFor()
    const planned = editor.locator(`[data-calendar-item][data-story-id="${story.id}"]`)
    await planned.waitFor()
    expect(await planned.getAttribute('data-at')).toBe(due.at.toISOString())

    // The worker publishes it at its time, once.
    step(`waits for the worker to publish at ${due.at.toISOString()}`)
    await expect
      .poll(() => stageOf(story.id), { timeout: due.at.getTime() - Date.now() + 60_000, interval: 1000 })
      .toBe('published')
    expect(Date.now()).toBeGreaterThanOrEqual(due.at.getTime())
    expect(await timesPublished({ payload: kitchen.payload, storyId: story.id })).toBe(1)
    const published = await kitchen.payload.countVersions({
      collection: collectionSlugs.stories,
      where: { and: [{ parent: { equals: story.id } }, { 'version._status': { equals: 'published' } }] },
    })
    expect(published.totalDocs).toBe(1)
    // The worker records its run just after the publish (a step of its own): wait for it.
    const runsOf = async () =>
      (
        await kitchen.payload.find({
          collection: collectionSlugs.scheduleRuns,
          where: { story: { equals: story.id } },
          depth: 0,
        })
      ).docs.map((run) => ({ status: run.status, action: run.action }))
    await expect
      .poll(runsOf, { timeout: 30_000, interval: 500 })
      .not.toEqual([{ status: 'claimed', action: 'publish' }])
    expect(await runsOf()).toEqual([{ status: 'done', action: 'publish' }])
    expect(await schedulesOf(story.id)).toEqual([])
    await openStory(editor, story.id)
    expect(await buttons(editor)).toEqual(['更正', '撤稿'])
  }, 600_000)

  it('offers an editor no 初审 of a story they wrote: a desk head signs it', async () => {
    const as = { user: users.editor, overrideAccess: false, draft: true } as const
    const own = await kitchen.payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: '编辑自己采写的通讯',
        section: sectionId,
        body: savedState(root(paragraph(text('编辑自己采写的通讯。')))) as unknown as Story['body'],
      },
      ...as,
    })
    await kitchen.payload.update({
      collection: collectionSlugs.stories,
      id: own.id,
      data: { stage: 'in_review' },
      ...as,
    })
    const editor = await signIn('editor')
    await openStory(editor, own.id)
    expect(await buttons(editor)).toEqual(['撤回'])
    const deskHead = await signIn('deskHead')
    await openStory(deskHead, own.id)
    expect(await buttons(deskHead)).toEqual(['退回修改', '初审通过'])
    await act(deskHead, '初审通过', async () => {})
    await expect.poll(() => signersOf(own.id)).toEqual([[1, users.deskHead.id, null]])
  }, 120_000)

  it('cancels another story’s schedule with 取消定时', async () => {
    const other = await approvedStory({
      payload: kitchen.payload,
      writer: users.reporter,
      title: '劳模工作室年度开放日',
      section: sectionId,
      reviewers: [users.editor, users.deskHead, users.chief],
    })
    const scheduled = await api('editor', `/api/stories/${other.id}/schedule`, {
      method: 'POST',
      body: { action: 'publish', at: '2099-05-01T09:00' },
    })
    expect(scheduled.status).toBe(201)
    const editor = await signIn('editor')
    await openStory(editor, other.id)
    expect(await editor.locator('[data-pending-schedule]').textContent()).toContain('定时发布：5月1日 09:00')
    await act(editor, '取消定时')
    await expect.poll(() => stageOf(other.id)).toBe('approved')
    expect(await schedulesOf(other.id)).toEqual([])
  }, 120_000)
})
