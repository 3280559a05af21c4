import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'

/** Static feed generation for a corpus: reading and plating what the feeds show, then rendering them. */
export async function benchFeedsStatic({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const read: number[] = []
  const render: number[] = []
  const total: number[] = []
  for (let run = 0; run < runs; run += 1) {
    const timing = await runChildForJson<{ readMs: number; renderMs: number }>({
      script: 'scripts/bench/feedsStaticChild.ts',
      env,
    })
    read.push(timing.readMs)
    render.push(timing.renderMs)
    total.push(timing.readMs + timing.renderMs)
  }
  return [
    {
      name: `read and plate the 50 newest, site-wide and per section (${stories} stories)`,
      unit: 'ms',
      samples: read,
    },
    { name: 'render site RSS, Atom, JSON Feed and every section RSS', unit: 'ms', samples: render },
    { name: 'static feed generation, total', unit: 'ms', samples: total, goal: '≤ 5000 ms' },
  ]
}
