import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's Chromium: the browser tests and benchmarks never download a browser. */
const CHROMIUM = '/usr/bin/chromium'

/** Headless Chromium as the browser tests and benchmarks drive it; when it is missing, says how to install it. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `browser tests and benchmarks need Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  })
}
