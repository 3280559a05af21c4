import pg from 'pg'
import { type RunningServer, stopWithin } from '../lib/run.ts'
import { startWorkerProcess } from '../lib/workerProcess.ts'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import { type Measured, measureScript, sampleTreePeak } from './measure.ts'
import { percentile } from './percentile.ts'
import type { Figure } from './report.ts'
import { lastJsonLine, runChild, runChildForJson } from './runChild.ts'
import { timeQueriesInChromium } from './searchBrowser.ts'
import { startApiServer, startSiteServer } from './servers.ts'

const QUERIES = 100
/** Terms of each length searched in Chromium (a fresh browser context each). */
const BROWSER_QUERIES = 30
/**
 * Random terms the recall check tries: each is also looked for by a plain scan of every story,
 * which at 100k stories takes seconds a term (the CI test tries 400 over a generated corpus).
 */
const recallTerms = (stories: number) => (stories > 20_000 ? 50 : 200)

/**
 * Search as the kitchen keeps it (cms/publishing/search) on a corpus:
 * - the cold index of every live story (wall clock, peak memory of its process tree, size);
 * - with the worker running (site builds) and the kitchen's API answering `GET /api/search`:
 *   publish → the story found by a term from its body, withdraw → no longer found, each
 *   polled every 50 ms from the start of the save; the worker's and the kitchen's process
 *   tree peak memory meanwhile;
 * - queries of random 2-字 and 4-字 terms from the corpus: time to the whole answer on
 *   loopback and its bytes; then as a reader searches, in Chromium through the built site's
 *   `/search/?q=` page (served as `npm start` serves it): time to the first results and the
 *   bytes the page fetched, nothing cached;
 * - recall of random 2–4 字 terms against a plain scan of every story.
 */
export async function benchSearch({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  // Migrates (the first load after the search_index migration indexes the corpus) and builds the site.
  await runChildForJson({ script: 'scripts/bench/siteBuildChild.ts', env })
  const cold = await measureScript({ script: 'scripts/bench/searchColdChild.ts', env })
  const coldIndex = lastJsonLine<{ ms: number; stories: number; tableMb: number; ginMb: number }>(cold.stdout)
  console.log(
    `search: cold index of ${coldIndex.stories} stories in ${coldIndex.ms} ms, peak ${cold.peakMb.toFixed(0)} MB`,
  )

  const api = await startApiServer({ env })
  try {
    return await measureWithApi({ api, env, runs, stories, cold, coldIndex })
  } finally {
    await api.stop()
  }
}

async function measureWithApi({
  api,
  env,
  runs,
  stories,
  cold,
  coldIndex,
}: {
  api: RunningServer
  env: NodeJS.ProcessEnv
  runs: number
  stories: number
  cold: Measured
  coldIndex: { ms: number; stories: number; tableMb: number; ginMb: number }
}): Promise<Figure[]> {
  const worker = await startWorkerProcess({ env })
  const searchUrl = `${api.url}/api/search`
  const workerMemory = sampleTreePeak(worker.pid)
  const kitchenMemory = sampleTreePeak(api.child.pid)
  let followed: { found: number[]; gone: number[] }
  let workerPeakMb = 0
  let kitchenPeakMb = 0
  try {
    followed = lastJsonLine(
      await runChild({
        script: 'scripts/bench/searchPublishChild.ts',
        args: [String(Math.max(20, runs * 4)), searchUrl],
        env,
      }),
    )
  } finally {
    workerPeakMb = await workerMemory.stop()
    kitchenPeakMb = await kitchenMemory.stop()
    await stopWithin({ child: worker })
  }
  // Each part is printed as it is measured: a run stopped later still leaves these.
  console.log(
    `search: publish → found p95 ${ms(percentile(followed.found, 95))}, withdraw → gone p95 ${ms(percentile(followed.gone, 95))}; worker peak ${workerPeakMb.toFixed(0)} MB, kitchen peak ${kitchenPeakMb.toFixed(0)} MB`,
  )
  {
    const terms = await corpusTerms({ databaseUrl: String(env.DATABASE_URL) })
    const two = await timeQueries({ searchUrl, terms: terms.map((term) => term.slice(0, 2)) })
    const four = await timeQueries({ searchUrl, terms: terms.filter((term) => term.length >= 4) })
    console.log(
      `search: queries on loopback, 2-字 p95 ${ms(percentile(two.ms, 95))}, 4-字 p95 ${ms(percentile(four.ms, 95))}, largest ${Math.max(...two.bytes, ...four.bytes)} bytes`,
    )
    const site = await startSiteServer({ env, kitchenSearchUrl: searchUrl })
    let browserTwo: Awaited<ReturnType<typeof timeQueriesInChromium>>
    let browserFour: Awaited<ReturnType<typeof timeQueriesInChromium>>
    try {
      const browserTerms = terms.filter((term) => term.length >= 4).slice(0, BROWSER_QUERIES)
      browserTwo = await timeQueriesInChromium({
        siteUrl: site.url,
        terms: browserTerms.map((term) => term.slice(0, 2)),
      })
      browserFour = await timeQueriesInChromium({ siteUrl: site.url, terms: browserTerms })
      for (const [way, two, four] of [
        ['from the form', browserTwo.fromForm, browserFour.fromForm],
        ['opened cold from a link', browserTwo.cold, browserFour.cold],
      ] as const)
        console.log(
          `search: Chromium ${way}, 2-字 p95 ${ms(percentile(two.ms, 95))}, 4-字 p95 ${ms(percentile(four.ms, 95))}, largest ${Math.max(...two.bytes, ...four.bytes)} bytes`,
        )
    } finally {
      await site.stop()
    }
    const recall = lastJsonLine<{
      terms: number
      holding: number
      found: number
      recall: number
      precision: number
    }>(
      await runChild({
        script: 'scripts/bench/searchRecallChild.ts',
        args: [String(recallTerms(stories))],
        env,
      }),
    )
    const at = ` (${stories} stories)`
    return [
      {
        name: `publish → found by a term from its body, p95${at}`,
        unit: 'ms',
        samples: [percentile(followed.found, 95)],
        goal: '≤ 10000 ms',
      },
      { name: 'publish → found, each publish', unit: 'ms', samples: followed.found },
      {
        name: `withdraw → no longer found, p95${at}`,
        unit: 'ms',
        samples: [percentile(followed.gone, 95)],
        goal: '≤ 10000 ms',
      },
      { name: 'withdraw → gone, each withdrawal', unit: 'ms', samples: followed.gone },
      {
        name: 'worker process tree peak memory during the publishes (site builds; search is indexed in the save)',
        unit: 'MB',
        samples: [workerPeakMb],
        goal: '≤ 1536 MB at 10k',
      },
      {
        name: 'kitchen process tree peak memory during the publishes (API answering search)',
        unit: 'MB',
        samples: [kitchenPeakMb],
      },
      {
        name: `cold search index, every live story${at}`,
        unit: 'ms',
        samples: [coldIndex.ms],
        goal: '≤ 60000 ms at 10k',
      },
      { name: 'cold search index: process tree peak memory', unit: 'MB', samples: [cold.peakMb] },
      { name: 'search table on disk (text, tokens and GIN index)', unit: 'MB', samples: [coldIndex.tableMb] },
      { name: 'of which the GIN index of tokens', unit: 'MB', samples: [coldIndex.ginMb] },
      {
        name: 'query, 2-字 term: whole answer on loopback, p95',
        unit: 'ms',
        samples: [percentile(two.ms, 95)],
        goal: '≤ 300 ms',
      },
      { name: 'query, 2-字 term: p50', unit: 'ms', samples: [percentile(two.ms, 50)] },
      {
        name: 'query, 2-字 term: bytes fetched, largest',
        unit: 'bytes',
        samples: [Math.max(...two.bytes)],
        goal: '≤ 1048576',
      },
      {
        name: 'query, 4-字 term: whole answer on loopback, p95',
        unit: 'ms',
        samples: [percentile(four.ms, 95)],
        goal: '≤ 300 ms',
      },
      { name: 'query, 4-字 term: p50', unit: 'ms', samples: [percentile(four.ms, 50)] },
      {
        name: 'query, 4-字 term: bytes fetched, largest',
        unit: 'bytes',
        samples: [Math.max(...four.bytes)],
        goal: '≤ 1048576',
      },
      ...browserFigures({
        at,
        two: browserTwo.fromForm,
        four: browserFour.fromForm,
        way: 'from the search form',
      }),
      ...browserFigures({ at, two: browserTwo.cold, four: browserFour.cold, way: 'opened cold from a link' }),
      {
        name: `recall, ${recall.terms} random 2–4 字 terms against a scan of every story`,
        unit: '%',
        samples: [recall.recall * 100],
        goal: '100 %',
      },
      {
        name: 'precision (every story returned holds the term)',
        unit: '%',
        samples: [recall.precision * 100],
      },
    ]
  }
}

/**
 * The Chromium figures of one way of searching (see timeQueriesInChromium); the goal is set
 * on the search form, the way a reader on the page searches.
 */
function browserFigures({
  at,
  two,
  four,
  way,
}: {
  at: string
  two: { ms: number[]; bytes: number[] }
  four: { ms: number[]; bytes: number[] }
  way: string
}): Figure[] {
  const isGoal = way === 'from the search form'
  return [
    {
      name: `Chromium, 2-字 term ${way}: first results, p95${at}`,
      unit: 'ms',
      samples: [percentile(two.ms, 95)],
      goal: isGoal ? '≤ 300 ms' : undefined,
    },
    { name: `Chromium, 2-字 term ${way}: first results, each search`, unit: 'ms', samples: two.ms },
    {
      name: `Chromium, 4-字 term ${way}: first results, p95${at}`,
      unit: 'ms',
      samples: [percentile(four.ms, 95)],
      goal: isGoal ? '≤ 300 ms' : undefined,
    },
    { name: `Chromium, 4-字 term ${way}: first results, each search`, unit: 'ms', samples: four.ms },
    {
      name: `Chromium ${way}: bytes fetched by one search, largest`,
      unit: 'bytes',
      samples: [Math.max(...two.bytes, ...four.bytes)],
      goal: isGoal ? '≤ 1048576' : undefined,
    },
  ]
}

const ms = (value: number) => `${value.toFixed(0)} ms`

/** Random runs of 4 汉字 from random live stories' text (their first two are the 2-字 terms). */
async function corpusTerms({ databaseUrl }: { databaseUrl: string }): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ body: string }>(
      'select body from search_entries order by random() limit $1',
      [QUERIES],
    )
    return rows.map((row) => {
      const runs = row.body.match(/\p{Script=Han}{4,}/gu) ?? ['工匠精神']
      const run = Array.from(runs[Math.floor(Math.random() * runs.length)] as string)
      const start = Math.floor(Math.random() * (run.length - 3))
      return run.slice(start, start + 4).join('')
    })
  } finally {
    await client.end()
  }
}

/** Each term asked once: the time until the whole answer has arrived, and its bytes. */
async function timeQueries({ searchUrl, terms }: { searchUrl: string; terms: string[] }) {
  const ms: number[] = []
  const bytes: number[] = []
  for (const term of terms) {
    const started = performance.now()
    const response = await fetch(`${searchUrl}?q=${encodeURIComponent(term)}`)
    const body = await response.arrayBuffer()
    ms.push(performance.now() - started)
    if (!response.ok) throw new Error(`search for "${term}" answered ${response.status}`)
    bytes.push(body.byteLength)
  }
  return { ms, bytes }
}
