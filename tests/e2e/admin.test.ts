import { readFile } from 'node:fs/promises'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHouseStyles } from '../../cms/channels/print/houseStyles.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const editor = { email: 'zongbianshi@hongyan.test', password: 'a-long-test-password', name: '总编室' }

let kitchen: TestKitchen
let server: KitchenServer
let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  await kitchen.payload.create({ collection: collectionSlugs.users, data: { ...editor, role: 'admin' } })
  server = await startTestKitchenServer()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await kitchen?.cleanup()
})

describe('the admin', () => {
  it('speaks Chinese to an editor whose browser asks for English', async () => {
    const page = await browser.newPage({ locale: 'en-US' })
    await page.goto(`${server.url}/admin/login`)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh')
    await page.locator('input[name="email"]').fill(editor.email)
    await page.locator('input[name="password"]').fill(editor.password)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(`${server.url}/admin`)
    await expect.poll(() => page.getByRole('heading', { name: '稿件' }).count()).toBeGreaterThan(0)
    await expect.poll(() => page.getByText('劳模工匠').count()).toBeGreaterThan(0)
    // The backup banner above the dashboard (the tests' workers take no backups: tests/setup).
    await expect
      .poll(() => page.locator('[data-backup-status]').textContent())
      .toContain('定时备份已关闭（HONGYAN_BACKUP_EVERY=off）')
    await page.screenshot({ path: `${kitchen.mediaDir}/dashboard.png` })
    await page.close()
  })

  it('serves REST and GraphQL on the same server', async () => {
    const rest = await fetch(`${server.url}/api/stories`)
    expect(rest.status).toBe(200)
    expect(((await rest.json()) as { totalDocs: number }).totalDocs).toBe(0)
    const graphql = await fetch(`${server.url}/api/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ Sections { totalDocs } }' }),
    })
    expect(await graphql.json()).toEqual({ data: { Sections: { totalDocs: 0 } } })
  })

  it('serves a partner feed gzipped, with 304 on a repeat, through the real server', async () => {
    const login = await fetch(`${server.url}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: editor.email, password: editor.password }),
    })
    const { token } = (await login.json()) as { token: string }
    const partner = await kitchen.payload.create({
      collection: collectionSlugs.partners,
      data: { name: '工人日报社', allowedFormats: ['rss', 'json', 'ninjs'], rateLimitPerMinute: 100 },
    })
    const issued = await fetch(`${server.url}/api/partners/${partner.id}/key`, {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
    })
    expect(issued.status).toBe(201)
    const { key } = (await issued.json()) as { key: string }
    const response = await fetch(`${server.url}/feeds/partner/rss.xml`, {
      headers: { authorization: `Bearer ${key}`, 'accept-encoding': 'gzip' },
    })
    expect(response.status).toBe(200)
    // fetch decodes the body itself; the header says it came compressed.
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(await response.text()).toContain('<rss')
    const again = await fetch(`${server.url}/feeds/partner/rss.xml`, {
      headers: { authorization: `Bearer ${key}`, 'if-none-match': String(response.headers.get('etag')) },
    })
    expect(again.status).toBe(304)
    const refused = await fetch(`${server.url}/feeds/partner/rss.xml?key=not-a-key`)
    expect(refused.status).toBe(401)
    expect(await refused.json()).toEqual({
      error: 'unauthorized',
      reason: 'unknown key',
      reasonZh: '未知密钥',
    })
  })

  it('shows a column issue’s fit and downloads its print package from the admin', async () => {
    const { payload } = kitchen
    const section = await payload.create({
      collection: collectionSlugs.sections,
      data: { name: '劳模风采', order: 1 },
    })
    const story = await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: '焊花里的青春',
        section: section.id,
        stage: 'published',
        _status: 'published',
        publishedAt: new Date().toISOString(),
        body: savedState(root(paragraph(text('三十年如一日，焊接船体。')))),
      },
      context: { isSeed: true },
    })
    const column = await payload.create({
      collection: collectionSlugs.columns,
      data: {
        name: '劳动者之窗',
        slug: 'laodongzhe-zhichuang',
        newspaper: '江州日报',
        frequency: 'monthly',
        geometry: { slotBudget: 800, imageWidthMm: 80, colourMode: 'grayscale' },
        styles: { ...defaultHouseStyles },
      },
    })
    const issue = await payload.create({
      collection: collectionSlugs.columnIssues,
      data: {
        title: '劳动者之窗 2027年1月',
        column: column.id,
        issueDate: '2027-01-01T00:00:00.000+08:00',
        slots: [{ story: story.id }],
      },
    })
    const page = await browser.newPage()
    await page.goto(`${server.url}/admin/login`)
    await page.locator('input[name="email"]').fill(editor.email)
    await page.locator('input[name="password"]').fill(editor.password)
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(`${server.url}/admin`)
    await page.goto(`${server.url}/admin/collections/column-issues/${issue.id}`)
    await expect
      .poll(() => page.locator('input[name="fitSummary"]').inputValue())
      .toBe('正文 12 / 800 字，余 788 字（1 篇）')
    // A client component: its link answers clicks once it has hydrated.
    await page.locator('[data-column-package][data-hydrated]').waitFor()
    const link = page.getByRole('link', { name: /下载排版包/ })
    const href = await link.getAttribute('href')
    expect(href).toBe(`/api/column-issues/${issue.id}/package`)
    // Clicked as an editor does: the browser's own request, with its same-origin cookie.
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    expect(download.suggestedFilename()).toMatch(/\.zip$/)
    const zip = await readFile(await download.path())
    expect(zip.subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004')
    // A request from another site gets nothing, though the editor's cookie goes with it.
    const crossSite = await page.request.get(`${server.url}${href}`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(crossSite.status()).toBe(401)
    await page.close()
  })
})
