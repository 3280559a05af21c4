import type { Payload } from 'payload'
import { reclaimStaleJobs } from './reclaimStaleJobs.ts'

/** The advisory lock a Hongyan job runner takes before it works a queue; one per queue. */
const QUEUE_LOCKS: Record<string, number> = {
  default: 0x686f6e67, // "hong"
  site: 0x686f6e68,
}

type PoolClient = {
  query: (sql: string, values?: unknown[]) => Promise<{ rows: { isLocked?: boolean }[] }>
  release: () => void
}

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
  const lock = QUEUE_LOCKS[queue] as number
  const pool = (payload.db as unknown as { pool: { connect: () => Promise<PoolClient> } }).pool
  const client = await pool.connect()
  try {
    const [row] = (await client.query('select pg_try_advisory_lock($1) as "isLocked"', [lock])).rows
    if (!row?.isLocked) return false
    try {
      await reclaimStaleJobs({ payload, queue })
      await payload.jobs.run({ queue, limit })
    } finally {
      await client.query('select pg_advisory_unlock($1)', [lock])
    }
    return true
  } finally {
    client.release()
  }
}
