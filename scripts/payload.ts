import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { runBin } from './lib/run.ts'

/** Payload's own CLI (`npm run payload -- migrate:create`, `generate:types`, …) on Hongyan's database. */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    const [command = '', ...rest] = process.argv.slice(2)
    await runBin({ bin: 'payload', args: [command, ...rest], what: `payload ${command}` })
    if (command === 'migrate:create') {
      // Payload writes plain imports of types; the repo's strict settings want `import type`.
      await runBin({ bin: 'biome', args: ['check', '--write', 'cms/migrations'], what: 'biome' })
    }
  } finally {
    await database.stop()
  }
})
