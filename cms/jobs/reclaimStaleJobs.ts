import type { Payload } from 'payload'
import { CLAIM_LEASE_MS } from './storySchedule.ts'

/**
 * Payload marks a job `processing` while a runner works on it and never clears the mark
 * when the runner dies: such jobs are handed back to the queue once their lease is over.
 * Returns how many were reclaimed.
 */
export async function reclaimStaleJobs({
  payload,
  now = new Date(),
}: {
  payload: Payload
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
      ],
    },
    data: { processing: false },
    overrideAccess: true,
  })
  if (docs.length > 0)
    payload.logger.warn({ msg: `reclaimed ${docs.length} job(s) left processing by a stopped runner` })
  return docs.length
}
