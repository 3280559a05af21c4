import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { runBin } from './lib/run.ts'

/** Payload's own CLI (`npm run payload -- migrate:create`, `generate:types`, …) on Hongyan's database. */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    await runBin({ bin: 'payload', args: process.argv.slice(2), what: `payload ${process.argv[2] ?? ''}` })
  } finally {
    await database.stop()
  }
})
