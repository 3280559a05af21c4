import { rm } from 'node:fs/promises'
import { corpusEnvironment } from './corpusDatabase.ts'
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
}

/**
 * The site build on a corpus, each run: cold (an empty dist folder: every story read from
 * the kitchen, every page rendered, then the search index), then again with nothing changed
 * (the live build updated in place: the work every publish starts from).
 */
export async function benchSiteBuild({
  runs,
  stories,
}: {
  runs: number
  stories: number
}): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const cold: BuildTiming[] = []
  const warm: BuildTiming[] = []
  for (let run = 0; run < runs; run += 1) {
    await rm(String(env.HONGYAN_DIST_DIR), { recursive: true, force: true })
    cold.push(await runChildForJson<BuildTiming>({ script: 'scripts/bench/siteBuildChild.ts', env }))
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
    { name: 'of which: reading every story from the kitchen (plate)', unit: 'ms', samples: of(cold, 'read') },
    { name: 'of which: rendering every page, feeds and sitemap', unit: 'ms', samples: of(cold, 'render') },
    { name: 'pages rendered', unit: 'count', samples: of(cold, 'rendered') },
    { name: 'then the search index (Pagefind, every story)', unit: 'ms', samples: of(cold, 'search') },
    { name: 'build process memory (RSS, Pagefind apart)', unit: 'MB', samples: of(cold, 'rssMb') },
    {
      name: 'nothing changed: live build updated in place (state read from disk)',
      unit: 'ms',
      samples: of(warm, 'live'),
    },
    {
      name: 'of which: which stories changed (state, list, dependencies)',
      unit: 'ms',
      samples: of(warm, 'read'),
    },
    { name: 'of which: page keys, feeds and sitemap', unit: 'ms', samples: of(warm, 'render') },
    { name: 'pages kept (key unchanged)', unit: 'count', samples: of(warm, 'reused') },
  ]
}
