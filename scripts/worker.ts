import { runWorker } from '../cms/jobs/worker.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run worker` (and started by `npm start` beside the server): runs due jobs (see
 * `runWorker`) until SIGINT or SIGTERM, then finishes the jobs it is running and exits.
 */
runCli(async () => {
  const database = await prepareEnvironment()
  const payload = await loadMigratedPayload()
  const stopping = new AbortController()
  process.once('SIGINT', () => stopping.abort())
  process.once('SIGTERM', () => stopping.abort())
  await runWorker({ payload, signal: stopping.signal })
  await closePayload(payload)
  await database.stop()
})
