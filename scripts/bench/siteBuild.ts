import { rm } from 'node:fs/promises'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'

type BuildTiming = {
  ms: number
  live: number
  read: number
  render: number
  search: number
  storiesRead: number
  rendered: number
  reused: number
  rssMb: number
  cpuMs: number
}

/**
 * The site build on a corpus, each run: cold (an empty dist folder: every story read from
 * the kitchen, every page rendered; then, in the first run only, the search index), then again with nothing changed
 * (the live build updated in place: the work every publish starts from).
 */
export async function benchSiteBuild({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const cold: BuildTiming[] = []
  const warm: BuildTiming[] = []
  const indexed: number[] = []
  for (let run = 0; run < runs; run += 1) {
    await rm(String(env.HONGYAN_DIST_DIR), { recursive: true, force: true })
    // The search index of the whole archive (minutes at 10k) once: the first run waits for it.
    const timing = await runChildForJson<BuildTiming>({
      script: 'scripts/bench/siteBuildChild.ts',
      env: run === 0 ? env : { ...env, HONGYAN_BENCH_SEARCH: 'skip' },
    })
    cold.push(timing)
    if (run === 0) indexed.push(timing.search)
    warm.push(
      await runChildForJson<BuildTiming>({
        script: 'scripts/bench/siteBuildChild.ts',
        env: { ...env, HONGYAN_BENCH_SEARCH: 'skip' },
      }),
    )
  }
  const of = (timings: BuildTiming[], key: keyof BuildTiming) => timings.map((timing) => timing[key])
  return [
    {
      name: `cold build: pages and feeds live (${stories} stories)`,
      unit: 'ms',
      samples: of(cold, 'live'),
      goal: '≤ 10000 ms at 10k',
    },
    {
      name: 'of which: reading every story (plate), story pages rendering alongside on the render threads',
      unit: 'ms',
      samples: of(cold, 'read'),
    },
    {
      name: 'of which: then the last story pages, every list page, feeds and sitemap',
      unit: 'ms',
      samples: of(cold, 'render'),
    },
    { name: 'pages rendered', unit: 'count', samples: of(cold, 'rendered') },
    { name: 'then the search index (Pagefind, every story; first run only)', unit: 'ms', samples: indexed },
    { name: 'build process CPU time (every thread; Postgres apart)', unit: 'ms', samples: of(cold, 'cpuMs') },
    { name: 'build process memory (RSS, Pagefind apart)', unit: 'MB', samples: of(cold, 'rssMb') },
    {
      name: 'nothing changed: live build updated in place (state read from disk)',
      unit: 'ms',
      samples: of(warm, 'live'),
    },
    {
      name: 'of which: which stories changed and their page keys (state, list, dependencies)',
      unit: 'ms',
      samples: of(warm, 'read'),
    },
    { name: 'of which: list page keys, feeds and sitemap', unit: 'ms', samples: of(warm, 'render') },
    { name: 'pages kept (key unchanged)', unit: 'count', samples: of(warm, 'reused') },
  ]
}
