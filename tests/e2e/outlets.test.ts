import { readFile } from 'node:fs/promises'
import { strFromU8, unzipSync } from 'fflate'
import mammoth from 'mammoth'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'
import { startWechatServer, type WechatServer } from '../helpers/wechatServer.ts'

const wechatAccount = { appId: 'wx5e1d0c2b3a497f86', secret: 'outlets-e2e-secret-0123456789abcdef' }
const password = 'a-long-test-password'

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser
let wechat: WechatServer
let storyId = 0
let episodeId = 0

beforeAll(async () => {
  browser = await launchChromium()
  wechat = await startWechatServer(wechatAccount)
  kitchen = await startTestKitchen()
  await seedDemoContent({ payload: kitchen.payload, adminPassword: 'demo-password-1' })
  await createStaff({ payload: kitchen.payload, domain: 'outlets.test', roles: ['editor', 'reporter'] })
  const stories = await kitchen.payload.find({
    collection: collectionSlugs.stories,
    where: { title: { equals: '陈海生：把焊缝焊成“免检产品”' } },
    depth: 0,
  })
  storyId = stories.docs[0]?.id ?? 0
  const episodes = await kitchen.payload.find({
    collection: collectionSlugs.tvEpisodes,
    depth: 0,
    context: { skipFit: true },
  })
  episodeId = episodes.docs[0]?.id ?? 0
  server = await startTestKitchenServer({
    env: {
      HONGYAN_WECHAT_APPID: wechatAccount.appId,
      HONGYAN_WECHAT_SECRET: wechatAccount.secret,
      HONGYAN_WECHAT_API_BASE: wechat.url,
    },
  })
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await wechat?.close()
  await kitchen?.cleanup()
})

async function signIn({ role }: { role: 'editor' | 'reporter' }): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${server.url}/admin/login`)
  await page.locator('input[name="email"]').fill(`${role}@outlets.test`)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL(`${server.url}/admin`)
  return page
}

describe('the WeChat desk in the admin', () => {
  it('downloads the 公众号 package from the story, as an editor clicks it', async () => {
    const page = await signIn({ role: 'editor' })
    await page.goto(`${server.url}/admin/collections/stories/${storyId}`)
    // The boxes are client components: click once they have hydrated.
    await page.locator('[data-wechat-actions][data-hydrated]').waitFor()
    const link = page.getByRole('link', { name: '下载公众号稿' })
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), link.click()])
    const files = unzipSync(new Uint8Array(await readFile(await download.path())))
    const names = Object.keys(files)
    const article = names.find((name) => name.endsWith('/article.html'))
    expect(article).toBeDefined()
    expect(names.some((name) => name.endsWith('/images/cover-2.35x1.jpg'))).toBe(true)
    expect(names.some((name) => name.endsWith('/preview.html'))).toBe(true)
    const html = strFromU8(files[article ?? ''] as Uint8Array)
    expect(html).toContain('仰焊最考验基本功')
    expect(html).not.toMatch(/<a\b|class=|<script/)
    const meta = JSON.parse(
      strFromU8(files[names.find((name) => name.endsWith('/meta.json')) ?? ''] as Uint8Array),
    )
    expect(meta.digest).toBe('三十年、二十多万米焊缝、一次合格率99.8%：走近全国五一劳动奖章获得者陈海生。')
    await page.close()
  })

  it('pushes the story to the draft box once, then updates that draft, and lists both pushes', async () => {
    const page = await signIn({ role: 'editor' })
    await page.goto(`${server.url}/admin/collections/stories/${storyId}`)
    // The boxes are client components: click once they have hydrated.
    await page.locator('[data-wechat-actions][data-hydrated]').waitFor()
    const push = page.getByRole('button', { name: '推送到公众号草稿箱' })
    await push.click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: '公众号草稿箱' }).textContent())
      .toMatch(/^已存入公众号草稿箱（第 1 版，media_id .+）$/)
    expect(wechat.drafts.size).toBe(1)
    const [mediaId, articles] = [...wechat.drafts.entries()][0] ?? []
    expect(articles?.[0]?.title).toBe('陈海生：把焊缝焊成“免检产品”')
    // Every body image is one WeChat hosted; nothing was filtered out.
    expect(wechat.filteredImages).toEqual([])
    const uploadsAfterFirst = wechat.uploads.size + wechat.materials.size
    await page.getByRole('button', { name: '推送到公众号草稿箱' }).click()
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: '公众号草稿箱' }).textContent())
      .toMatch(/^已更新公众号草稿箱/)
    expect([...wechat.drafts.keys()]).toEqual([mediaId])
    expect(wechat.uploads.size + wechat.materials.size).toBe(uploadsAfterFirst)
    await expect.poll(() => page.locator('[data-wechat-pushes] li').count()).toBe(2)
    expect(await page.locator('[data-wechat-pushes] li').first().textContent()).toContain(
      `更新草稿 · 第 1 版 · ${mediaId}`,
    )
    await page.close()
  })

  it('refuses the push to a reporter, with the reason on the page', async () => {
    const page = await signIn({ role: 'reporter' })
    await page.goto(`${server.url}/admin/collections/stories/${storyId}`)
    // The boxes are client components: click once they have hydrated.
    await page.locator('[data-wechat-actions][data-hydrated]').waitFor()
    const draftsBefore = wechat.drafts.size
    await page.getByRole('button', { name: '推送到公众号草稿箱' }).click()
    await expect.poll(() => page.getByRole('alert').filter({ hasText: '编辑' }).count()).toBeGreaterThan(0)
    expect(wechat.drafts.size).toBe(draftsBefore)
    await page.close()
  })
})

describe('the TV desk in the admin', () => {
  it('shows the episode’s timing and downloads the programme package', async () => {
    const page = await signIn({ role: 'editor' })
    await page.goto(`${server.url}/admin/collections/tv-episodes/${episodeId}`)
    await page.waitForLoadState('networkidle')
    // A client component: click its link once it has hydrated.
    await page.locator('[data-tv-package][data-hydrated]').waitFor()
    await expect
      .poll(() => page.locator('input[name="fitSummary"]').inputValue())
      .toMatch(/^时长 \d+分\d{2}秒 \/ 10分00秒，余 \d+ 秒（2 条）$/)
    const link = page.getByRole('link', { name: /下载节目稿/ })
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toMatch(/^laodongzhe-\d{4}-\d{2}-\d{2}\.zip$/)
    const files = unzipSync(new Uint8Array(await readFile(await download.path())))
    const names = Object.keys(files)
    const docx = names.find((name) => name.endsWith('.docx'))
    const srt = names.find((name) => name.endsWith('.srt'))
    expect(names.some((name) => name.endsWith('-teleprompter.txt'))).toBe(true)
    expect(names.filter((name) => /\/stills\/.+\.jpg$/.test(name)).length).toBeGreaterThan(0)
    const script = await mammoth.extractRawText({ buffer: Buffer.from(files[docx ?? ''] as Uint8Array) })
    expect(script.value).toContain('画面')
    expect(script.value).toContain('清晨船坞全景')
    expect(strFromU8(files[srt ?? ''] as Uint8Array)).toMatch(/^1\r?\n00:00:00,000 --> /)
    await page.close()
  })
})
