import type { Payload } from 'payload'
import { poolOf } from './pool.ts'

/**
 * Runs `work` holding a Postgres session advisory lock named `key` (hashed to the lock's
 * number by Postgres), on a connection of its own. The lock is released when `work` ends, or
 * by Postgres when the session ends (the process dies, the server restarts), so a crash never
 * leaves it held.
 *
 * With `wait: false` another holder makes it return `{ isLocked: false }` at once instead of
 * waiting its turn. `work` may ask whether it still holds the lock before a step that must
 * not run unguarded (`lock.confirm()`).
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
  work: (lock: HeldLock) => Promise<T>
}): Promise<{ isLocked: true; value: T } | { isLocked: false }> {
  const client = await poolOf(payload).connect()
  // A connection the server drops while it is checked out (a restart, an outage) reports the
  // loss as an 'error' event, which would end the process with nobody listening. The lock went
  // with the session; the connection is given back broken so the pool discards it.
  let lost: Error | undefined
  const onLost = (err: Error) => {
    lost = err
    payload.logger.warn({ msg: `advisory lock ${key}: the database connection was lost (${err.message})` })
  }
  client.on('error', onLost)
  try {
    if (wait) await client.query('select pg_advisory_lock(hashtext($1))', [key])
    else {
      const { rows } = await client.query<{ isLocked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as "isLocked"',
        [key],
      )
      if (!rows[0]?.isLocked) return { isLocked: false }
    }
    const confirm = async () => {
      if (lost) throw lost
      await client.query('select 1').catch((err: Error) => {
        lost = err
        throw err
      })
    }
    try {
      return { isLocked: true, value: await work({ confirm }) }
    } finally {
      if (!lost) {
        await client.query('select pg_advisory_unlock(hashtext($1))', [key]).catch((err: Error) => {
          // The unlock fails only with the session, which took the lock with it.
          lost = err
        })
      }
    }
  } finally {
    client.off('error', onLost)
    client.release(lost)
  }
}

/** The lock as its work sees it. */
export interface HeldLock {
  /**
   * Resolves while the lock is held: its session still answers (a session lock goes only with
   * its session). Rejects once the database dropped the session, and the lock with it: another
   * process may hold it now.
   */
  confirm(): Promise<void>
}
