import { runCli } from '../lib/cli.ts'
import { prepareEnvironment } from '../lib/environment.ts'
import { benchColdStart } from './coldStart.ts'
import { report } from './report.ts'

const benchmarks = {
  'cold-start': benchColdStart,
} as const

/** `npm run bench -- <name> [--runs N]`: runs one benchmark and appends its figures to BENCHMARKS.md. */
runCli(async () => {
  const [name = '', ...rest] = process.argv.slice(2)
  const bench = benchmarks[name as keyof typeof benchmarks]
  if (!bench)
    throw new Error(`unknown benchmark "${name}": choose one of ${Object.keys(benchmarks).join(', ')}`)
  const runsFlag = rest.indexOf('--runs')
  const runs = runsFlag >= 0 ? Number(rest[runsFlag + 1]) : 5
  if (!Number.isInteger(runs) || runs < 3) throw new Error('--runs must be a whole number, 3 or more')
  const database = await prepareEnvironment()
  try {
    await report({ benchmark: name, figures: await bench({ runs }) })
  } finally {
    await database.stop()
  }
})
