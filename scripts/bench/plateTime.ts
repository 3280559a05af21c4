import { runCli } from '../lib/cli.ts'
import { prepareEnvironment } from '../lib/environment.ts'
import { corpusEnvironment } from './corpusDatabase.ts'
import { runChild } from './runChild.ts'

runCli(async () => {
  await prepareEnvironment()
  const env = await corpusEnvironment({ stories: Number(process.argv[2]) })
  for (let i = 0; i < Number(process.argv[3] ?? 1); i++)
    await runChild({ script: 'scripts/bench/siteBuildChild.ts', env })
})
