import type { ChildProcess } from 'node:child_process'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { keepOutputTail, spawnScript } from '../../scripts/lib/run.ts'

export type FeedServerProcess = { child: ChildProcess; url: string; output: () => string }

/**
 * A partner feed server process of its own (`scripts/feeds.ts`) on a free port, on the
 * database at `databaseUrl`, once it says it listens. `url` ends in `/feeds/partner`.
 */
export async function startFeedServerProcess({
  databaseUrl,
  freshnessMs,
}: {
  databaseUrl: string
  freshnessMs?: number
}): Promise<FeedServerProcess> {
  const port = await findFreePort()
  const child = spawnScript({
    script: 'scripts/feeds.ts',
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      FEEDS_PORT: String(port),
      ...(freshnessMs === undefined ? {} : { HONGYAN_FEEDS_FRESHNESS_MS: String(freshnessMs) }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = keepOutputTail({ child, maxChars: 200_000 })
  const deadline = Date.now() + 60_000
  while (!output().includes('partner feeds on')) {
    if (child.exitCode !== null) throw new Error(`the feed server exited: ${output()}`)
    if (Date.now() > deadline) throw new Error(`the feed server did not start: ${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, url: `http://127.0.0.1:${port}/feeds/partner`, output }
}
