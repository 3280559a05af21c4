import { runCli } from '../lib/cli.ts'
import { prepareEnvironment } from '../lib/environment.ts'
import { benchAnchors } from './anchors.ts'
import { benchColdStart } from './coldStart.ts'
import { benchFeedsStatic } from './feedsStatic.ts'
import { benchImageUpload } from './imageUpload.ts'
import { benchLoad } from './load.ts'
import { benchPartnerFeed } from './partnerFeed.ts'
import { benchPublish } from './publish.ts'
import { type Figure, report } from './report.ts'
import { benchRestRead } from './restRead.ts'
import { benchSchedule } from './schedule.ts'
import { benchSiteBuild } from './siteBuild.ts'

const benchmarks: Record<string, (options: { runs: number; stories: number }) => Promise<Figure[]>> = {
  'cold-start': benchColdStart,
  'partner-feed': benchPartnerFeed,
  'feeds-static': benchFeedsStatic,
  'site-build': benchSiteBuild,
  load: benchLoad,
  anchors: benchAnchors,
  publish: benchPublish,
  schedule: benchSchedule,
  'rest-read': benchRestRead,
  'image-upload': benchImageUpload,
}

/**
 * `npm run bench -- <name> [--runs N] [--stories N]`: runs one benchmark and appends its
 * figures to BENCHMARKS.md. Corpus benchmarks generate `--stories` stories (default 10,000)
 * once into a database of their own.
 */
runCli(async () => {
  const [name = '', ...rest] = process.argv.slice(2)
  const bench = benchmarks[name]
  if (!bench)
    throw new Error(`unknown benchmark "${name}": choose one of ${Object.keys(benchmarks).join(', ')}`)
  const runsFlag = rest.indexOf('--runs')
  const runs = runsFlag >= 0 ? Number(rest[runsFlag + 1]) : 5
  if (!Number.isInteger(runs) || runs < 3) throw new Error('--runs must be a whole number, 3 or more')
  const storiesFlag = rest.indexOf('--stories')
  const stories = storiesFlag >= 0 ? Number(rest[storiesFlag + 1]) : 10_000
  if (!Number.isInteger(stories) || stories < 30)
    throw new Error('--stories must be a whole number, 30 or more')
  const database = await prepareEnvironment()
  try {
    await report({ benchmark: name, figures: await bench({ runs, stories }) })
  } finally {
    await database.stop()
  }
})
