import { readdirSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import { runWorker } from '../cms/jobs/worker.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run worker` (and started by `npm start` beside the server): runs due jobs (see
 * `runWorker`) until SIGINT or SIGTERM, then finishes the jobs it is running and exits.
 */
runCli(async () => {
  // After the embedded Postgres (when there is one) started: the servers share it.
  const database = await prepareEnvironment()
  lowerPriority()
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
 * partners (the load bench's p99s, see BENCHMARKS), by HONGYAN_WORKER_NICE (default 10, 0 to
 * leave it be). On Linux each thread has its own priority: the threads running now (V8's
 * among them) are lowered one by one, and threads started later (the render threads, libuv's
 * pool) inherit it.
 */
function lowerPriority(): void {
  const priority = workerNice()
  // Started as low already (`nice npm start`, systemd's Nice=): left as it is (raising it back
  // is refused to an unprivileged user).
  if (getPriority() >= priority) return
  let threads: string[] = []
  try {
    threads = readdirSync('/proc/self/task')
  } catch {
    // not Linux: the process's priority is all there is
  }
  for (const thread of [...threads, '0']) {
    try {
      setPriority(Number(thread), priority)
    } catch {
      // the thread ended meanwhile
    }
  }
}

/** HONGYAN_WORKER_NICE: the worker's nice value, 0 (as started) to 19 (lowest). */
function workerNice(): number {
  const text = process.env.HONGYAN_WORKER_NICE
  if (!text) return DEFAULT_WORKER_NICE
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0 || value > 19)
    throw new Error(`HONGYAN_WORKER_NICE must be a whole number from 0 to 19, not "${text}"`)
  return value
}

const DEFAULT_WORKER_NICE = 10
