import type { Payload } from 'payload'
import { poolOf } from './pool.ts'

/**
 * Runs `work` holding a Postgres session advisory lock named `key` (hashed to the lock's
 * number by Postgres), on a connection of its own. The lock is released when `work` ends, or
 * by Postgres when the process dies, so a crash never leaves it held.
 *
 * With `wait: false` another holder makes it return `{ isLocked: false }` at once instead of
 * waiting its turn.
 */
export async function withAdvisoryLock<T>({
  payload,
  key,
  wait = true,
  work,
}: {
  payload: Payload
  key: string
  wait?: boolean
  work: () => Promise<T>
}): Promise<{ isLocked: true; value: T } | { isLocked: false }> {
  const client = await poolOf(payload).connect()
  try {
    if (wait) await client.query('select pg_advisory_lock(hashtext($1))', [key])
    else {
      const { rows } = await client.query<{ isLocked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as "isLocked"',
        [key],
      )
      if (!rows[0]?.isLocked) return { isLocked: false }
    }
    try {
      return { isLocked: true, value: await work() }
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [key])
    }
  } finally {
    client.release()
  }
}
