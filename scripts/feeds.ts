import {
  createPartnerFeedServer,
  DEFAULT_FEEDS_FRESHNESS_MS,
} from '../cms/publishing/partnerFeed/feedServer.ts'
import { flushPullLog } from '../cms/publishing/partnerFeed/pullLog.ts'
import { siteOrigin } from '../cms/publishing/site/siteOrigin.ts'
import { feedsPort } from './lib/address.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/** `npm run feeds` (and started by `npm start`): the partner feed server on FEEDS_PORT. */
runCli(async () => {
  const database = await prepareEnvironment()
  const payload = await loadMigratedPayload()
  const server = createPartnerFeedServer({ payload, siteUrl: siteOrigin(), freshnessMs: feedsFreshnessMs() })
  const port = feedsPort()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, resolve)
  })
  console.log(`feeds ${process.pid}: partner feeds on http://localhost:${port}/feeds/partner/`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await flushPullLog()
  await closePayload(payload)
  await database.stop()
})

/** HONGYAN_FEEDS_FRESHNESS_MS: how old a read of the database a feed answer may rest on. */
function feedsFreshnessMs(): number {
  const text = process.env.HONGYAN_FEEDS_FRESHNESS_MS
  if (!text) return DEFAULT_FEEDS_FRESHNESS_MS
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0 || value > 60_000)
    throw new Error('HONGYAN_FEEDS_FRESHNESS_MS must be a whole number of milliseconds from 0 to 60000')
  return value
}
