import { corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'

/**
 * A full build of the website (plate → Astro → media → Pagefind → swap) for a corpus, as the
 * worker runs it after a publish. The first run may be cold (no content cache); the others
 * reuse Astro's content-layer cache and, nothing having changed, its incremental page cache.
 */
export async function benchSiteBuild({
  runs,
  stories,
}: {
  runs: number
  stories: number
}): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const total: number[] = []
  const astro: number[] = []
  const search: number[] = []
  const reused: number[] = []
  const live: number[] = []
  for (let run = 0; run < runs; run += 1) {
    const timing = await runChildForJson<{
      ms: number
      live: number
      astro: number
      search: number
      reused: number
    }>({
      script: 'scripts/bench/siteBuildChild.ts',
      env,
    })
    total.push(timing.ms)
    astro.push(timing.astro)
    search.push(timing.search)
    reused.push(timing.reused)
    live.push(timing.live)
  }
  return [
    { name: `full site build (${stories} stories)`, unit: 'ms', samples: total, goal: '≤ 10000 ms at 10k' },
    { name: 'of which: plate and Astro', unit: 'ms', samples: astro },
    { name: 'new pages live after (the search index follows)', unit: 'ms', samples: live },
    { name: 'of which: Pagefind (Chinese)', unit: 'ms', samples: search },
    {
      name: 'story pages Astro reused from the last build (nothing changed)',
      unit: 'count',
      samples: reused,
    },
  ]
}
