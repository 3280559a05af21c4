import { runCli } from '../lib/cli.ts'
import { prepareEnvironment } from '../lib/environment.ts'
import { corpusEnvironment } from './corpusDatabase.ts'

/** `tsx scripts/bench/makeCorpus.ts 1000 10000`: generates (or tops up) corpora ahead of the benchmarks. */
runCli(async () => {
  await prepareEnvironment()
  for (const size of process.argv.slice(2).map(Number)) {
    const started = performance.now()
    await corpusEnvironment({ stories: size })
    console.log(`corpus ${size}: ready in ${Math.round((performance.now() - started) / 1000)} s`)
  }
})
