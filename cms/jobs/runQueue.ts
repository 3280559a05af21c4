import { createLocalReq, type Payload, type RequestContext } from 'payload'
import { claimJobs, JOB_LEASE_MS, renewLeases } from './claimJobs.ts'

/**
 * Runs the due jobs of `queue` this runner claims (see `claimJobs`): any number of runners
 * (worker processes on any host) work one queue side by side, each on different jobs, and a
 * job never runs twice. The jobs run through Payload (`jobs.runByID`: its task handlers,
 * retries, logs and deletion on completion); only the choice of who runs which is Hongyan's.
 * While they run their leases are renewed, so that a job outliving the lease (a site build of
 * thousands of stories) is not taken for abandoned. Returns how many jobs it ran.
 */
export async function runQueue({
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
}): Promise<number> {
  const { ids } = await claimJobs({ payload, queue, limit })
  if (ids.length === 0) return 0
  const running = new Set(ids)
  const renewing = setInterval(() => {
    renewLeases({ payload, ids: [...running] }).catch((err: unknown) =>
      payload.logger.warn({ msg: `the leases of jobs ${[...running].join(', ')} could not be renewed`, err }),
    )
  }, JOB_LEASE_MS / 3)
  try {
    await Promise.all(
      ids.map(async (id) => {
        try {
          await payload.jobs.runByID({ id, req: await createLocalReq({ context }, payload) })
        } finally {
          running.delete(id)
        }
      }),
    )
  } finally {
    clearInterval(renewing)
  }
  return ids.length
}
