import { setPriority } from 'node:os'
import { runWorker } from '../cms/jobs/worker.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run worker` (and started by `npm start` beside the server): runs due jobs (see
 * `runWorker`) until SIGINT or SIGTERM, then finishes the jobs it is running and exits.
 */
/**
 * The worker's niceness (its site builds' too: children inherit it). Builds are batch work:
 * on a shared machine the servers answering readers and partners come first, and a build
 * takes what CPU they leave.
 */
const WORKER_NICENESS = 10

runCli(async () => {
  setPriority(WORKER_NICENESS)
  const database = await prepareEnvironment()
  const payload = await loadMigratedPayload()
  const stopping = new AbortController()
  process.once('SIGINT', () => stopping.abort())
  process.once('SIGTERM', () => stopping.abort())
  await runWorker({ payload, signal: stopping.signal })
  await closePayload(payload)
  await database.stop()
})
