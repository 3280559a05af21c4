import { readdirSync } from 'node:fs'
import { constants, setPriority } from 'node:os'
import { runWorker } from '../cms/jobs/worker.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run worker` (and started by `npm start` beside the server): runs due jobs (see
 * `runWorker`) until SIGINT or SIGTERM, then finishes the jobs it is running and exits.
 */
runCli(async () => {
  lowerPriority()
  const database = await prepareEnvironment()
  const payload = await loadMigratedPayload()
  const stopping = new AbortController()
  process.once('SIGINT', () => stopping.abort())
  process.once('SIGTERM', () => stopping.abort())
  await runWorker({ payload, signal: stopping.signal })
  await closePayload(payload)
  await database.stop()
})

/**
 * Background work: the worker's site builds yield the CPU to the servers answering readers and
 * partners (the load bench's p99s, see BENCHMARKS). On Linux each thread has its own priority:
 * the threads running now (V8's among them) are lowered one by one, and threads started later
 * (the render threads, libuv's pool) inherit it.
 */
function lowerPriority(): void {
  const priority = constants.priority.PRIORITY_BELOW_NORMAL
  let threads: string[] = []
  try {
    threads = readdirSync('/proc/self/task')
  } catch {
    // not Linux: the process's priority is all there is
  }
  for (const thread of threads) {
    try {
      setPriority(Number(thread), priority)
    } catch {
      // the thread ended meanwhile
    }
  }
  setPriority(priority)
}
