import { runCli } from '../lib/cli.ts'
import { prepareEnvironment } from '../lib/environment.ts'
import { benchAnchors } from './anchors.ts'
import { benchColdStart } from './coldStart.ts'
import { benchDeploy } from './deploy.ts'
import { benchFeedsStatic } from './feedsStatic.ts'
import { benchImageUpload } from './imageUpload.ts'
import { benchLoad } from './load.ts'
import { benchPartnerFeed } from './partnerFeed.ts'
import { benchPublish } from './publish.ts'
import { type Figure, report } from './report.ts'
import { benchRestRead } from './restRead.ts'
import { benchScaling, DEFAULT_SIZES } from './scaling.ts'
import { benchSchedule } from './schedule.ts'
import { benchSearch } from './search.ts'
import { ensureBenchAdminBuild } from './servers.ts'
import { benchSiteBuild } from './siteBuild.ts'
import { benchTerms } from './terms.ts'

type Options = { runs: number; stories: number; sizes: number[] }

const benchmarks: Record<string, (options: Options) => Promise<Figure[]>> = {
  'cold-start': benchColdStart,
  'partner-feed': benchPartnerFeed,
  'feeds-static': benchFeedsStatic,
  'site-build': benchSiteBuild,
  load: benchLoad,
  anchors: benchAnchors,
  publish: benchPublish,
  deploy: benchDeploy,
  schedule: benchSchedule,
  'rest-read': benchRestRead,
  'image-upload': benchImageUpload,
  scaling: benchScaling,
  terms: benchTerms,
  search: benchSearch,
}

/** Benchmarks `all` leaves out: `scaling` builds several corpora of its own sizes. */
const notInAll = new Set(['scaling'])
/** Benchmarks that start `next start`, which needs a current admin build. */
const needsAdmin = new Set(['cold-start', 'load', 'rest-read', 'image-upload'])

/**
 * `npm run bench -- <name> [--runs N] [--stories N] [--sizes 1000,3000,10000]`: runs one
 * benchmark and updates its rows in BENCHMARKS.md; `all [--skip a,b]` runs every
 * benchmark but `scaling` in turn on one corpus (`--runs` 3 unless given). Corpus benchmarks
 * generate `--stories` stories (default 10,000) once into a database of their own.
 */
runCli(async () => {
  const [name = '', ...rest] = process.argv.slice(2)
  const isAll = name === 'all'
  if (!isAll && !benchmarks[name])
    throw new Error(`unknown benchmark "${name}": choose all or one of ${Object.keys(benchmarks).join(', ')}`)
  const flag = (option: string) => {
    const at = rest.indexOf(option)
    return at >= 0 ? rest[at + 1] : undefined
  }
  const runs = Number(flag('--runs') ?? (isAll ? 3 : 5))
  if (!Number.isInteger(runs) || runs < 3) throw new Error('--runs must be a whole number, 3 or more')
  const stories = Number(flag('--stories') ?? 10_000)
  if (!Number.isInteger(stories) || stories < 30)
    throw new Error('--stories must be a whole number, 30 or more')
  const sizes = flag('--sizes')?.split(',').map(Number) ?? DEFAULT_SIZES
  if (sizes.some((size) => !Number.isInteger(size) || size < 30))
    throw new Error('--sizes must be whole numbers, 30 or more, separated by commas')
  const skipped = new Set(flag('--skip')?.split(',') ?? [])
  const unknown = [...skipped].filter((skip) => !benchmarks[skip])
  if (unknown.length) throw new Error(`--skip: unknown benchmark ${unknown.join(', ')}`)
  const database = await prepareEnvironment()
  const started = performance.now()
  const failed: string[] = []
  try {
    for (const [benchmark, bench] of Object.entries(benchmarks)) {
      if (isAll ? notInAll.has(benchmark) || skipped.has(benchmark) : benchmark !== name) continue
      const benchStarted = performance.now()
      try {
        // Checked here too: the older benchmarks build a stale admin without asking.
        if (needsAdmin.has(benchmark)) await ensureBenchAdminBuild()
        await report({ benchmark, figures: await bench({ runs, stories, sizes }), stories })
      } catch (err) {
        // In `all`, one failing benchmark does not stop the others.
        if (!isAll) throw err
        failed.push(benchmark)
        console.error(`bench: ${benchmark} failed: ${(err as Error).message}`)
      }
      console.log(`bench: ${benchmark} took ${formatDuration(performance.now() - benchStarted)}`)
    }
  } finally {
    await database.stop()
  }
  if (isAll) {
    const tookMs = performance.now() - started
    console.log(`bench: all took ${formatDuration(tookMs)} (${stories} stories, ${runs} runs)`)
    // The suite's own duration is a goal only when the suite ran whole.
    if (skipped.size === 0 && failed.length === 0) {
      const name = `every benchmark but scaling, one after another (${runs} runs each)`
      await report({ benchmark: 'all', figures: [{ name, unit: 'ms', samples: [tookMs] }], stories })
    }
  }
  if (failed.length) throw new Error(`these benchmarks failed: ${failed.join(', ')}`)
})

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}
