import type { Payload } from 'payload'
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
}: {
  payload: Payload
  queue?: 'default' | 'site'
  limit?: number
}): Promise<boolean> {
  const { isLocked } = await withAdvisoryLock({
    payload,
    key: `hongyan-job-queue:${queue}`,
    wait: false,
    work: async () => {
      await reclaimStaleJobs({ payload, queue })
      await payload.jobs.run({ queue, limit })
    },
  })
  return isLocked
}
