import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { stopChild, waitForAnswer } from '../lib/run.ts'
import { corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'

const RATE = 500
const SECONDS = 5

/**
 * The partner feed under load: the feed server (`npm run feeds`) on a corpus of `stories`
 * stories, autocannon on loopback at 500 requests a second for ninjs.json (full answers,
 * gzip accepted as feed readers do), then for conditional requests that get 304. Each run
 * is 5 s; latencies are autocannon's percentiles.
 */
export async function benchPartnerFeed({
  runs,
  stories,
}: {
  runs: number
  stories: number
}): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const { key } = await runChildForJson<{ key: string }>({ script: 'scripts/bench/partnerKeyChild.ts', env })
  const port = await findFreePort()
  const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/feeds.ts'], {
    cwd: projectRoot,
    env: { ...env, FEEDS_PORT: String(port) },
    stdio: 'ignore',
  })
  try {
    const base = `http://127.0.0.1:${port}`
    await waitForAnswer({
      url: `${base}/feeds/partner/rss.xml?key=${key}`,
      child: server,
      timeoutMs: 120_000,
    })
    const url = `${base}/feeds/partner/ninjs.json`
    const headers = { authorization: `Bearer ${key}`, 'accept-encoding': 'gzip' }
    const first = await fetch(url, { headers })
    if (first.status !== 200) throw new Error(`the partner feed answered ${first.status}`)
    const etag = String(first.headers.get('etag'))
    const full = { p50: [] as number[], p99: [] as number[], rate: [] as number[], errors: [] as number[] }
    const notModified = { p50: [] as number[], p99: [] as number[] }
    for (let run = 0; run < runs; run += 1) {
      const result = await autocannon({ url, headers, connections: 20, overallRate: RATE, duration: SECONDS })
      full.p50.push(result.latency.p50)
      full.p99.push(result.latency.p99)
      full.rate.push(result.requests.average)
      full.errors.push(result.errors + result.non2xx)
      const cached = await autocannon({
        url,
        headers: { ...headers, 'if-none-match': etag },
        connections: 20,
        overallRate: RATE,
        duration: SECONDS,
      })
      if (cached['3xx'] === 0) throw new Error('conditional requests did not get 304')
      notModified.p50.push(cached.latency.p50)
      notModified.p99.push(cached.latency.p99)
    }
    return [
      { name: `ninjs.json 200, p50 at ${RATE} req/s (${stories} stories)`, unit: 'ms', samples: full.p50 },
      {
        name: `ninjs.json 200, p99 at ${RATE} req/s (${stories} stories)`,
        unit: 'ms',
        samples: full.p99,
        goal: '≤ 20 ms',
      },
      { name: 'requests served a second', unit: 'req/s', samples: full.rate, goal: `${RATE}` },
      { name: 'errors and non-2xx answers', unit: 'count', samples: full.errors, goal: '0' },
      { name: '304 (If-None-Match), p50', unit: 'ms', samples: notModified.p50 },
      { name: '304 (If-None-Match), p99', unit: 'ms', samples: notModified.p99, goal: '≤ 5 ms' },
    ]
  } finally {
    await stopChild(server)
  }
}
