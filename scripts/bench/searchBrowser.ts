import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'

/** Debian's Chromium, as the browser tests use it (never a downloaded browser). */
const CHROMIUM = '/usr/bin/chromium'

declare global {
  interface Window {
    __firstResultsAt?: number
  }
}

/**
 * Each term searched as a reader does, in headless Chromium on loopback: a fresh browser
 * context (nothing cached) opens `<site>/search/?q=<term>`, the page's script asks the search
 * endpoint and lists the hits. Per term: the time from the navigation's start until the first
 * hit is in the list (marked by a MutationObserver the page gets before its own scripts run),
 * and the bytes the page fetched for it (the page, its assets and the answer, as transferred).
 */
export async function timeQueriesInChromium({ siteUrl, terms }: { siteUrl: string; terms: string[] }) {
  if (!existsSync(CHROMIUM)) throw new Error(`the search benchmark needs Debian's Chromium at ${CHROMIUM}`)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
  const ms: number[] = []
  const bytes: number[] = []
  try {
    for (const term of terms) {
      const context = await browser.newContext()
      try {
        await context.addInitScript(() => {
          new MutationObserver((_, observer) => {
            if (document.querySelector('#search-results li')) {
              window.__firstResultsAt = performance.now()
              observer.disconnect()
            }
          }).observe(document, { childList: true, subtree: true })
        })
        const page = await context.newPage()
        await page.goto(`${siteUrl}/search/?q=${encodeURIComponent(term)}`)
        await page.waitForFunction(() => window.__firstResultsAt !== undefined, undefined, {
          timeout: 30_000,
        })
        const measured = await page.evaluate(() => {
          const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
          const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
          return {
            ms: window.__firstResultsAt as number,
            bytes: navigation.transferSize + resources.reduce((sum, entry) => sum + entry.transferSize, 0),
          }
        })
        ms.push(measured.ms)
        bytes.push(measured.bytes)
      } catch (error) {
        throw new Error(`searching "${term}" in Chromium: ${(error as Error).message}`)
      } finally {
        await context.close()
      }
    }
  } finally {
    await browser.close()
  }
  return { ms, bytes }
}
