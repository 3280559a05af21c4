import { createLocalReq, type Payload, type RequestContext } from 'payload'
import { withAdvisoryLock } from '../db/advisoryLock.ts'
import { reclaimStaleJobs } from './reclaimStaleJobs.ts'

/**
 * Runs due jobs unless another runner (another worker process, or the kitchen's server)
 * is working the queue right now. Payload claims jobs by reading then updating them,
 * which two concurrent runners can both win; a Postgres advisory lock makes them take
 * turns, so a job never runs twice. Returns false when another runner had the queue.
 */
export async function runQueueExclusively({
  payload,
  queue = 'default',
  limit = 20,
  context = {},
}: {
  payload: Payload
  queue?: 'default' | 'site'
  limit?: number
  /** Handed to every job's handler as `req.context` (the worker's options for its site builds). */
  context?: RequestContext
}): Promise<boolean> {
  const { isLocked } = await withAdvisoryLock({
    payload,
    key: `hongyan-job-queue:${queue}`,
    wait: false,
    work: async () => {
      await reclaimStaleJobs({ payload, queue })
      await payload.jobs.run({ queue, limit, req: await createLocalReq({ context }, payload) })
    },
  })
  return isLocked
}
