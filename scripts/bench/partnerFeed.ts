import { spawn } from 'node:child_process'
import path from 'node:path'
import autocannon from 'autocannon'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { buildAdmin, isAdminBuildCurrent } from '../lib/adminBuild.ts'
import { stopChild, waitForAnswer } from '../lib/run.ts'
import { BENCH_ADMIN, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'

const RATE = 500
const SECONDS = 5

/**
 * The partner feed under load: `next start` on a corpus of `stories` stories, autocannon on
 * loopback at 500 requests a second for ninjs.json (full answers), then for conditional
 * requests that get 304. Each run is 5 s; latencies are autocannon's percentiles.
 */
export async function benchPartnerFeed({
  runs,
  stories,
}: {
  runs: number
  stories: number
}): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  if (!(await isAdminBuildCurrent())) await buildAdmin()
  const port = await findFreePort()
  const server = spawn(
    path.join(projectRoot, 'node_modules', '.bin', 'next'),
    ['start', 'cms', '--port', String(port)],
    {
      cwd: projectRoot,
      env,
      stdio: 'ignore',
    },
  )
  try {
    const base = `http://127.0.0.1:${port}`
    await waitForAnswer({ url: `${base}/api/users/me`, child: server, timeoutMs: 120_000 })
    const key = await benchPartnerKey({ base })
    const url = `${base}/feeds/partner/ninjs.json`
    const headers = { authorization: `Bearer ${key}` }
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

/** Logs in as the corpus's admin, makes the benchmark's partner if missing, issues it a key. */
async function benchPartnerKey({ base }: { base: string }): Promise<string> {
  const login = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  })
  const { token } = (await login.json()) as { token?: string }
  if (!token) throw new Error('the benchmark admin could not log in')
  const auth = { authorization: `JWT ${token}`, 'content-type': 'application/json' }
  const found = await fetch(
    `${base}/api/partners?where[name][equals]=${encodeURIComponent('基准测试合作方')}`,
    { headers: auth },
  )
  const existing = ((await found.json()) as { docs: { id: number }[] }).docs[0]
  const id =
    existing?.id ??
    (
      (await (
        await fetch(`${base}/api/partners`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            name: '基准测试合作方',
            allowedFormats: ['rss', 'json', 'ninjs'],
            rateLimitPerMinute: 100_000,
          }),
        })
      ).json()) as { doc: { id: number } }
    ).doc.id
  const issued = await fetch(`${base}/api/partners/${id}/key`, { method: 'POST', headers: auth })
  return String(((await issued.json()) as { key: string }).key)
}
