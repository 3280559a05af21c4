import { rm } from 'node:fs/promises'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'

type BuildTiming = {
  ms: number
  live: number
  read: number
  render: number
  storiesRead: number
  rendered: number
  reused: number
  treeMb: number
  cpuMs: number
}

/**
 * The site build on a corpus, each run: cold (an empty dist folder: every story read from
 * the kitchen, every page rendered), then again with nothing changed (the live build updated
 * in place: the work every publish starts from). Search is not the build's work any more (see
 * the `search` benchmark).
 */
export async function benchSiteBuild({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const cold: BuildTiming[] = []
  const warm: BuildTiming[] = []
  for (let run = 0; run < runs; run += 1) {
    await rm(String(env.HONGYAN_DIST_DIR), { recursive: true, force: true })
    cold.push(await runChildForJson<BuildTiming>({ script: 'scripts/bench/siteBuildChild.ts', env }))
    warm.push(await runChildForJson<BuildTiming>({ script: 'scripts/bench/siteBuildChild.ts', env }))
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
    { name: 'build process CPU time (every thread; Postgres apart)', unit: 'ms', samples: of(cold, 'cpuMs') },
    {
      name: 'build process tree peak memory (RSS, children included)',
      unit: 'MB',
      samples: of(cold, 'treeMb'),
    },
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
