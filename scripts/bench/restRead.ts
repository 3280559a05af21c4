import autocannon from 'autocannon'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { startKitchen } from './servers.ts'

const RATE = 100
const SECONDS = 10
/** Ids drawn from this many published stories, from pages spread over the corpus. */
const SAMPLE_IDS = 1_000

/**
 * The public's REST read of one story: `next start` on the corpus, autocannon on loopback at
 * 100 req/s for `GET /api/stories/<id>?depth=1` (anonymous) over random published ids, 10 s
 * a run after a 3 s warm-up.
 */
export async function benchRestRead({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const kitchen = await startKitchen({ env })
  try {
    const ids = await publishedIds({ base: kitchen.url })
    const pick = () => ids[Math.floor(Math.random() * ids.length)]
    const load = (duration: number) =>
      autocannon({
        url: kitchen.url,
        connections: 10,
        overallRate: RATE,
        duration,
        requests: [{ setupRequest: (request) => ({ ...request, path: `/api/stories/${pick()}?depth=1` }) }],
      })
    await load(3)
    const p50: number[] = []
    const p99: number[] = []
    const rate: number[] = []
    const errors: number[] = []
    for (let run = 0; run < runs; run += 1) {
      const result = await load(SECONDS)
      p50.push(result.latency.p50)
      p99.push(result.latency.p99)
      rate.push(result.requests.average)
      errors.push(result.errors + result.timeouts + result.non2xx)
    }
    return [
      {
        name: `GET /api/stories/<id>?depth=1, p50 at ${RATE} req/s (${stories} stories)`,
        unit: 'ms',
        samples: p50,
        goal: '≤ 10 ms',
      },
      {
        name: `GET /api/stories/<id>?depth=1, p99 at ${RATE} req/s`,
        unit: 'ms',
        samples: p99,
        goal: '≤ 40 ms',
      },
      { name: 'requests served a second', unit: 'req/s', samples: rate, goal: `${RATE}` },
      { name: 'errors and non-2xx answers', unit: 'count', samples: errors, goal: '0' },
    ]
  } finally {
    await kitchen.stop()
  }
}

/** Up to SAMPLE_IDS ids of published stories, read anonymously (the public sees only those). */
async function publishedIds({ base }: { base: string }): Promise<number[]> {
  const list = async (page: number, limit: number) => {
    const response = await fetch(`${base}/api/stories?depth=0&limit=${limit}&page=${page}&select[id]=true`)
    if (!response.ok) throw new Error(`listing stories answered ${response.status}`)
    return (await response.json()) as { docs: { id: number }[]; totalPages: number }
  }
  const pageSize = 100
  const { totalPages } = await list(1, pageSize)
  const pages = Math.min(totalPages, SAMPLE_IDS / pageSize)
  const ids: number[] = []
  for (let n = 0; n < pages; n += 1) {
    const page = 1 + Math.floor((n * totalPages) / pages)
    ids.push(...(await list(page, pageSize)).docs.map((doc) => doc.id))
  }
  if (ids.length === 0) throw new Error('the corpus has no published story')
  return ids
}
