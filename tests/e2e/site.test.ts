import type { ChildProcess } from 'node:child_process'
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { createSiteServer } from '../../cms/publishing/site/siteServer.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { launchChromium } from '../../scripts/lib/chromium.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { serveKitchenApi } from '../helpers/kitchenApi.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

let kitchen: TestKitchen
let browser: Browser
let siteServer: Server
let kitchenApi: Awaited<ReturnType<typeof serveKitchenApi>> | undefined
let siteUrl = ''
let worker: ChildProcess | undefined
let editorToken = ''
let reporterToken = ''

beforeAll(async () => {
  browser = await launchChromium()
  kitchen = await startTestKitchen()
  await seedDemoContent({ payload: kitchen.payload, now: new Date(), adminPassword: 'demo-password-1' })
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { email: 'bianji@site.test', password: 'a-long-test-password', name: '编辑', role: 'editor' },
  })
  const login = await kitchen.payload.login({
    collection: collectionSlugs.users,
    data: { email: 'bianji@site.test', password: 'a-long-test-password' },
  })
  editorToken = login.token ?? ''
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { email: 'jizhe@site.test', password: 'a-long-test-password', name: '记者', role: 'reporter' },
  })
  reporterToken =
    (
      await kitchen.payload.login({
        collection: collectionSlugs.users,
        data: { email: 'jizhe@site.test', password: 'a-long-test-password' },
      })
    ).token ?? ''
  // The search page asks the site's own origin, which forwards to the kitchen's endpoint.
  kitchenApi = await serveKitchenApi(kitchen)
  siteServer = createSiteServer({
    distDir: kitchen.distDir,
    kitchenSearchUrl: `${kitchenApi.url}/api/search`,
  })
  await new Promise<void>((resolve) => siteServer.listen(0, '127.0.0.1', resolve))
  siteUrl = `http://127.0.0.1:${(siteServer.address() as AddressInfo).port}`
  process.env.HONGYAN_SITE_URL = siteUrl
  await buildSite({ payload: kitchen.payload, distDir: kitchen.distDir, siteUrl })
  worker = await startWorkerProcess({
    env: {
      DATABASE_URL: kitchen.databaseUrl,
      HONGYAN_MEDIA_DIR: kitchen.mediaDir,
      HONGYAN_DIST_DIR: kitchen.distDir,
      HONGYAN_SITE_URL: siteUrl,
    },
  })
}, 300_000)

afterAll(async () => {
  await browser?.close()
  worker?.kill('SIGTERM')
  siteServer?.close()
  await kitchenApi?.close()
  await kitchen?.cleanup()
})

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource })
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> }
      }
    ).axe
    return (await axe.run()).violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`)
}

/** A REST call as the editor (or as `token`'s user). */
async function rest({
  method,
  path,
  body,
  token = editorToken,
}: {
  method: 'POST' | 'PATCH'
  path: string
  body: unknown
  token?: string
}) {
  const handler = kitchen.api.rest[method]
  const slug = path.split('/').filter(Boolean)
  const response = await handler(
    new Request(`http://kitchen.test/api/${slug.join('/')}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug }) },
  )
  const json = (await response.json()) as { doc?: { id: number; slug: string }; errors?: unknown }
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`)
  return json
}

async function statusOf(path: string): Promise<number> {
  return (await fetch(`${siteUrl}${path}`)).status
}

describe('the public website in Chromium', () => {
  it('leads from the home page to a story, and from the story to a person', async () => {
    const page = await browser.newPage()
    await page.goto(`${siteUrl}/`)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    const leadTitle = page.locator('#lead-title a')
    const title = (await leadTitle.textContent())?.trim() ?? ''
    expect(title.length).toBeGreaterThan(4)
    await leadTitle.click()
    await expect.poll(() => page.locator('h1').textContent()).toBe(title)
    await page.goto(`${siteUrl}/stories/chen-hai-sheng-ba-han-feng-han-cheng-mian-jian-chan-pin/`)
    expect(await page.locator('h1').textContent()).toBe('陈海生：把焊缝焊成“免检产品”')
    expect(await page.locator('.body h2').first().textContent()).toBe('从学徒工到“焊接医生”')
    const hero = page.locator('.hero img')
    expect(await hero.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await page.locator('.person-card a', { hasText: '陈海生' }).click()
    await page.waitForURL(/\/people\/[a-z-]+\/$/)
    expect(await page.locator('h1').textContent()).toBe('陈海生')
    expect(await page.locator('.list a', { hasText: '把焊缝焊成' }).count()).toBe(1)
    await page.close()
  })

  it.each([
    ['焊缝', '陈海生：把焊缝焊成“免检产品”'],
    ['殷瓦钢', '陈海生：把焊缝焊成“免检产品”'],
    ['外卖骑手', '“小哥”有了“娘家”：江州骑手工会联合会成立'],
  ])('finds the story with the Chinese term %s and opens it', async (term, expected) => {
    const page = await browser.newPage()
    await page.goto(`${siteUrl}/search/`)
    await page.locator('#q').fill(term)
    await page.locator('.search button').click()
    const hit = page.locator('#search-results a', { hasText: expected })
    await hit.waitFor({ timeout: 15_000 })
    await hit.click()
    await expect.poll(() => page.locator('h1').textContent()).toBe(expected)
    await page.close()
  })

  it('lists the results of /search/?q= as links with date, section and the term marked', async () => {
    const page = await browser.newPage()
    const fetched: string[] = []
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname))
    await page.goto(`${siteUrl}/search/?q=${encodeURIComponent('焊缝')}`)
    const first = page.locator('#search-results li').first()
    await first.waitFor({ timeout: 15_000 })
    expect(await page.locator('#q').inputValue()).toBe('焊缝')
    expect(await page.locator('#search-status').textContent()).toMatch(/^找到 \d+ 篇含“焊缝”的稿件$/)
    const hrefs = await page
      .locator('#search-results li > a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')))
    expect(hrefs.length).toBeGreaterThan(0)
    for (const href of hrefs) expect(href).toMatch(/^\/stories\/[^/]+\/$/)
    expect(await first.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    expect(await first.locator('time').textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/)
    expect(await first.locator('.meta a').getAttribute('href')).toMatch(/^\/sections\/[^/]+\/$/)
    expect(await first.locator('mark').first().textContent()).toBe('焊缝')
    // One request for the results, to the site's own origin; no index files.
    expect(fetched.filter((pathname) => pathname === '/api/search')).toHaveLength(1)
    expect(fetched.some((pathname) => pathname.includes('pagefind'))).toBe(false)
    await page.close()
  })

  it('answers the form in place: the address becomes /search/?q=, and going back shows the earlier search', async () => {
    const page = await browser.newPage()
    await page.goto(`${siteUrl}/search/?q=${encodeURIComponent('焊缝')}`)
    await page.locator('#search-results li').first().waitFor({ timeout: 15_000 })
    await page.evaluate(() => {
      ;(window as Window & { isSamePage?: boolean }).isSamePage = true
    })
    await page.locator('#q').fill('外卖骑手')
    await page.locator('.search button').click()
    await page.locator('#search-results a', { hasText: '“小哥”有了“娘家”' }).waitFor({ timeout: 15_000 })
    expect(await page.locator('#search-status').textContent()).toMatch(/含“外卖骑手”/)
    expect(new URL(page.url()).search).toBe(`?q=${encodeURIComponent('外卖骑手')}`)
    const isSamePage = () => page.evaluate(() => (window as Window & { isSamePage?: boolean }).isSamePage)
    expect(await isSamePage()).toBe(true)
    await page.goBack()
    await expect.poll(() => page.locator('#search-status').textContent()).toMatch(/含“焊缝”/)
    expect(await page.locator('#q').inputValue()).toBe('焊缝')
    expect(new URL(page.url()).search).toBe(`?q=${encodeURIComponent('焊缝')}`)
    expect(await isSamePage()).toBe(true)
    await page.close()
  })

  it('says so when nothing holds the term', async () => {
    const page = await browser.newPage()
    await page.goto(`${siteUrl}/search/?q=${encodeURIComponent('龘靐齉爩')}`)
    await expect.poll(() => page.locator('#search-status').textContent()).toBe('没有找到含“龘靐齉爩”的稿件')
    expect(await page.locator('#search-results li').count()).toBe(0)
    await page.close()
  })

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    // axe is injected as an inline script, which the site's CSP rightly forbids.
    const page = await browser.newPage({ bypassCSP: true })
    const paths = [
      '/',
      '/stories/chen-hai-sheng-ba-han-feng-han-cheng-mian-jian-chan-pin/',
      '/sections/laomo-fengcai/',
      '/people/',
      '/archive/',
      '/about/',
      '/search/?q=%E7%84%8A%E7%BC%9D',
      '/no-such-page/',
    ]
    const found: Record<string, string[]> = {}
    for (const path of paths) {
      await page.goto(`${siteUrl}${path}`)
      found[path] = await axeViolations(page)
    }
    expect(found).toEqual(Object.fromEntries(paths.map((path) => [path, []])))
    await page.close()
  })

  it('shows a story published through the API within seconds, and answers 404 once it is withdrawn', async () => {
    const [found] = (await kitchen.payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs
    // One review level: the editor's approval is the review (三审 is tested in reviewLevels.test.ts).
    const section = found
      ? await kitchen.payload.update({
          collection: collectionSlugs.sections,
          id: found.id,
          data: { reviewLevels: 1 },
        })
      : undefined
    // The reporter writes and submits it; the editor approves and publishes it.
    const created = await rest({
      method: 'POST',
      path: '/stories',
      token: reporterToken,
      body: {
        title: '市总工会启动“冬送温暖”活动',
        summary: '为一线职工送去棉衣和慰问金。',
        body: savedState(
          root(paragraph(text('江州市总工会启动“冬送温暖”活动，为一线职工送去棉衣和慰问金。'))),
        ),
        section: section?.id,
      },
    })
    const id = created.doc?.id
    const slug = created.doc?.slug
    expect(slug).toBeTruthy()
    await rest({
      method: 'PATCH',
      path: `/stories/${id}`,
      body: { stage: 'in_review' },
      token: reporterToken,
    })
    await rest({ method: 'PATCH', path: `/stories/${id}`, body: { stage: 'approved' } })
    expect(await statusOf(`/stories/${slug}/`)).toBe(404)
    const publishedAt = Date.now()
    await rest({
      method: 'PATCH',
      path: `/stories/${id}?draft=false`,
      body: { stage: 'published', _status: 'published' },
    })
    await expect.poll(() => statusOf(`/stories/${slug}/`), { timeout: 60_000, interval: 500 }).toBe(200)
    const seconds = (Date.now() - publishedAt) / 1000
    console.log(`published → on the site in ${seconds.toFixed(1)} s`)
    const page = await browser.newPage()
    await page.goto(`${siteUrl}/`)
    expect(await page.locator('a', { hasText: '市总工会启动“冬送温暖”活动' }).count()).toBeGreaterThan(0)
    await page.close()

    await rest({
      method: 'PATCH',
      path: `/stories/${id}?draft=false`,
      body: { stage: 'withdrawn', withdrawnReason: '活动延期', _status: 'published' },
    })
    await expect.poll(() => statusOf(`/stories/${slug}/`), { timeout: 60_000, interval: 500 }).toBe(404)
    const home = await (await fetch(`${siteUrl}/`)).text()
    expect(home).not.toContain('冬送温暖')
  }, 150_000)
})
