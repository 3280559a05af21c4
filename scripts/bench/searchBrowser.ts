import type { Browser, Page } from 'playwright-core'
import { launchChromium } from '../lib/chromium.ts'

declare global {
  interface Window {
    __firstResultsAt?: number
    __submittedAt?: number
  }
}

type Timed = { ms: number[]; bytes: number[] }

/**
 * Each term searched as a reader does, in headless Chromium on loopback, in a browser context
 * of its own (no answer cached from another term). Two ways, each timed until the first hit is
 * in the list (marked by a MutationObserver the page gets before its own scripts run), with
 * the bytes fetched meanwhile (as transferred):
 * - `fromForm`: the reader is on the search page and submits the term with 搜索 (the page
 *   answers in place); timed from the submit;
 * - `cold`: the reader follows a link to `/search/?q=<term>` in a fresh browser, nothing cached
 *   and the page's renderer process not yet started; timed from the navigation's start.
 */
export async function timeQueriesInChromium({
  siteUrl,
  terms,
}: {
  siteUrl: string
  terms: string[]
}): Promise<{ fromForm: Timed; cold: Timed }> {
  const browser = await launchChromium()
  const fromForm: Timed = { ms: [], bytes: [] }
  const cold: Timed = { ms: [], bytes: [] }
  try {
    for (const term of terms) {
      await inContext({ browser, term }, async (page) => {
        await page.goto(`${siteUrl}/search/`)
        await page.fill('#q', term)
        await page.click('form.search button[type=submit]')
        add(fromForm, await firstResults({ page, term }))
      })
      await inContext({ browser, term }, async (page) => {
        await page.goto(`${siteUrl}/search/?q=${encodeURIComponent(term)}`)
        add(cold, await firstResults({ page, term }))
      })
    }
  } finally {
    await browser.close()
  }
  return { fromForm, cold }
}

const add = (timed: Timed, one: { ms: number; bytes: number }) => {
  timed.ms.push(one.ms)
  timed.bytes.push(one.bytes)
}

async function inContext(
  { browser, term }: { browser: Browser; term: string },
  work: (page: Page) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext()
  try {
    await context.addInitScript(() => {
      let isWaiting = true
      document.addEventListener(
        'submit',
        () => {
          window.__submittedAt = performance.now()
          window.__firstResultsAt = undefined
          isWaiting = true
        },
        true,
      )
      new MutationObserver(() => {
        if (isWaiting && document.querySelector('#search-results li')) {
          window.__firstResultsAt = performance.now()
          isWaiting = false
        }
      }).observe(document, { childList: true, subtree: true })
    })
    await work(await context.newPage())
  } catch (error) {
    throw new Error(`searching "${term}" in Chromium: ${(error as Error).message}`)
  } finally {
    await context.close()
  }
}

/**
 * When the first hit appeared: ms from the last submit in this document, else from the
 * navigation's start; and the bytes fetched since.
 */
async function firstResults({ page }: { page: Page; term: string }): Promise<{ ms: number; bytes: number }> {
  await page
    .waitForFunction(() => window.__firstResultsAt !== undefined, undefined, { timeout: 30_000 })
    .catch(async (error: Error) => {
      const status = await page.textContent('#search-status').catch(() => null)
      throw new Error(`${error.message} (the page says: ${status || 'nothing'})`)
    })
  return page.evaluate(() => {
    const since = window.__submittedAt
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
    const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter(
      (entry) => since === undefined || entry.startTime >= since,
    )
    return {
      ms: (window.__firstResultsAt as number) - (since ?? 0),
      bytes:
        (since === undefined ? navigation.transferSize : 0) +
        resources.reduce((sum, entry) => sum + entry.transferSize, 0),
    }
  })
}
