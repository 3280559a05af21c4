import type { Payload } from 'payload'
import { CLAIM_LEASE_MS } from './storySchedule.ts'

/**
 * Payload marks a job `processing` while a runner works on it and never clears the mark
 * when the runner dies: such jobs are handed back to the queue once their lease is over.
 * A runner reclaims only in the queue it holds the lock of (`queue`): a job of another queue
 * may be running right now, for longer than the lease (a site build of thousands of
 * stories), and handing it back would let a publish meanwhile count it as still waiting.
 * Returns how many were reclaimed.
 */
export async function reclaimStaleJobs({
  payload,
  queue,
  now = new Date(),
}: {
  payload: Payload
  /** Only this queue's jobs; every queue's when not given. */
  queue?: string
  now?: Date
}): Promise<number> {
  const cutoff = new Date(now.getTime() - CLAIM_LEASE_MS).toISOString()
  const { docs } = await payload.update({
    collection: 'payload-jobs',
    where: {
      and: [
        { processing: { equals: true } },
        { completedAt: { exists: false } },
        { updatedAt: { less_than: cutoff } },
        ...(queue ? [{ queue: { equals: queue } }] : []),
      ],
    },
    data: { processing: false },
    overrideAccess: true,
  })
  if (docs.length > 0)
    payload.logger.warn({ msg: `reclaimed ${docs.length} job(s) left processing by a stopped runner` })
  return docs.length
}
