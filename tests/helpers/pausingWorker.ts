import { runWorker } from '../../cms/jobs/worker.ts'
import { runCli } from '../../scripts/lib/cli.ts'
import { prepareEnvironment } from '../../scripts/lib/environment.ts'
import { loadMigratedPayload } from '../../scripts/lib/payload.ts'
import { pauseBeforeGoingLive } from './pauseBeforeGoingLive.ts'

/**
 * The worker (`scripts/worker.ts`) with every site build held before it goes live, for the
 * crash tests to kill there. It never stops by itself: the test kills it.
 */
runCli(async () => {
  await prepareEnvironment()
  const payload = await loadMigratedPayload()
  await runWorker({
    payload,
    signal: new AbortController().signal,
    siteBuild: { beforeGoingLive: pauseBeforeGoingLive },
  })
})
