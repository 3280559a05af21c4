import { request } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'
import { startFeedServer } from './servers.ts'

const RATE = 500
const SECONDS = 5
/** Load before the runs, not measured: the server's code compiled and its heap settled. */
const WARMUP_SECONDS = 3

type Load = {
  p50: number
  p99: number
  autocannonP99: number
  rate: number
  errors: number
  non2xx: number
  '3xx': number
}

/**
 * The partner feed under load: the feed server (`npm run feeds`) on a corpus of `stories`
 * stories, autocannon on loopback at 500 requests a second for ninjs.json (full answers,
 * `Accept-Encoding: gzip` as partner clients send it), then for conditional requests that get
 * 304. Each run is 5 s, after 3 s of the same load that are not measured. autocannon runs in
 * a process of its own, on the same two cores as the server; latencies are percentiles of the
 * response times it measured, one per answer, and its own p99 (which weighs each answer by
 * its duration: see scripts/bench/autocannonChild.ts) is reported beside them, as earlier runs
 * reported it.
 */
export async function benchPartnerFeed({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const { key } = await runChildForJson<{ key: string }>({ script: 'scripts/bench/partnerKeyChild.ts', env })
  const server = await startFeedServer({ env, key })
  try {
    const url = `${server.url}/feeds/partner/ninjs.json`
    const headers = { authorization: `Bearer ${key}`, 'accept-encoding': 'gzip' }
    const first = await checkFirstAnswer({ url, headers })
    const etag = first.etag
    const load = (extra: Record<string, string>, duration = SECONDS) =>
      runChildForJson<Load>({
        script: 'scripts/bench/autocannonChild.ts',
        env: {
          ...process.env,
          HONGYAN_AUTOCANNON: JSON.stringify({
            url,
            headers: { ...headers, ...extra },
            connections: 20,
            overallRate: RATE,
            duration,
          }),
        },
      })
    const samples = () => ({
      p50: [] as number[],
      p99: [] as number[],
      autocannonP99: [] as number[],
      rate: [] as number[],
      errors: [] as number[],
    })
    await load({}, WARMUP_SECONDS)
    const full = samples()
    const notModified = samples()
    for (let run = 0; run < runs; run += 1) {
      const answered = await load({})
      full.p50.push(answered.p50)
      full.p99.push(answered.p99)
      full.autocannonP99.push(answered.autocannonP99)
      full.rate.push(answered.rate)
      full.errors.push(answered.errors + answered.non2xx)
      const cached = await load({ 'if-none-match': etag })
      if (cached['3xx'] === 0) throw new Error('conditional requests did not get 304')
      notModified.p50.push(cached.p50)
      notModified.p99.push(cached.p99)
      notModified.autocannonP99.push(cached.autocannonP99)
      notModified.rate.push(cached.rate)
      // A 304 counts as non-2xx for autocannon: only other answers are errors here.
      notModified.errors.push(cached.errors + cached.non2xx - cached['3xx'])
    }
    return [
      {
        // Other benchmarks publish and withdraw stories in the corpus: the answer's size says
        // what this run served (a withdrawn story is a short canceled item).
        name: `ninjs.json answer gzipped (${first.items} items, ${first.canceled} canceled)`,
        unit: 'KB',
        samples: [first.gzipKb],
      },
      { name: `ninjs.json 200, p50 at ${RATE} req/s (${stories} stories)`, unit: 'ms', samples: full.p50 },
      {
        name: `ninjs.json 200, p99 at ${RATE} req/s (${stories} stories)`,
        unit: 'ms',
        samples: full.p99,
        goal: '≤ 20 ms',
      },
      {
        name: 'ninjs.json 200, p99 as autocannon reports it (each answer weighed by its duration)',
        unit: 'ms',
        samples: full.autocannonP99,
      },
      { name: 'requests served a second', unit: 'req/s', samples: full.rate, goal: `${RATE}` },
      { name: 'errors and non-2xx answers', unit: 'count', samples: full.errors, goal: '0' },
      { name: '304 (If-None-Match), p50', unit: 'ms', samples: notModified.p50 },
      { name: '304 (If-None-Match), p99', unit: 'ms', samples: notModified.p99, goal: '≤ 5 ms' },
      {
        name: '304, p99 as autocannon reports it (each answer weighed by its duration)',
        unit: 'ms',
        samples: notModified.autocannonP99,
      },
      { name: '304: requests served a second', unit: 'req/s', samples: notModified.rate, goal: `${RATE}` },
      {
        name: '304: errors and answers other than 304',
        unit: 'count',
        samples: notModified.errors,
        goal: '0',
      },
    ]
  } finally {
    await server.stop()
  }
}

/** The answer the load asks for: gzip that decodes to the partner's ninjs. Returns its ETag and size. */
async function checkFirstAnswer({ url, headers }: { url: string; headers: Record<string, string> }) {
  // fetch() would decode the gzip itself; node:http gives the bytes as sent.
  const { status, encoding, etag, body } = await new Promise<{
    status: number
    encoding: string
    etag: string
    body: Buffer
  }>((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          encoding: String(response.headers['content-encoding']),
          etag: String(response.headers.etag),
          body: Buffer.concat(chunks),
        }),
      )
      response.on('error', reject)
    })
      .on('error', reject)
      .end()
  })
  if (status !== 200) throw new Error(`the partner feed answered ${status}`)
  if (encoding !== 'gzip') throw new Error(`the partner feed answered ${encoding}, not gzip`)
  const items = (JSON.parse(gunzipSync(body).toString()) as { items: unknown[] }).items
  if (items.length === 0) throw new Error('the partner feed has no items')
  const canceled = items.filter((item) => (item as { pubstatus?: string }).pubstatus === 'canceled').length
  return { etag, items: items.length, canceled, gzipKb: body.length / 1024 }
}
