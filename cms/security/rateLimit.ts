import type { Payload } from 'payload'
import { poolOf } from '../db/pool.ts'

/**
 * Fixed windows per key, counted in Postgres (`rate_windows`, one row a key), so that every
 * kitchen and feed server behind one proxy counts against the same limit. A window starts
 * at a key's first request and lasts `windowMs`; the first request after it starts the next.
 * One statement counts and reads, under the row's lock: two servers never both take the last
 * request of a window. A database that does not answer throws (the caller's 503).
 */
const PRUNE_EVERY_MS = 60_000
/**
 * A count that takes longer is taken for a database that does not answer (stopped mid-query,
 * unreachable): the request gets the caller's 503 rather than hang.
 */
const COUNT_TIMEOUT_MS = 3_000
let prunedAt = Number.NEGATIVE_INFINITY

/**
 * Counts one request under `key`; returns the seconds to wait when the key is over its
 * limit for the current window, or null when the request may go on.
 */
export async function takeRequest({
  payload,
  key,
  limit,
  windowMs = 60_000,
  now = Date.now(),
}: {
  payload: Payload
  key: string
  limit: number
  windowMs?: number
  now?: number
}): Promise<number | null> {
  const pool = poolOf(payload)
  // Rows of keys not seen for a window (logins from addresses that went away) are swept now
  // and then by each server: the table stays as small as the keys in use.
  if (now - prunedAt >= PRUNE_EVERY_MS) {
    prunedAt = now
    await withinTimeout(pool.query('delete from rate_windows where window_ends_at <= $1', [new Date(now)]))
  }
  const { rows } = await withinTimeout(
    pool.query<{ count: number; window_ends_at: Date | string }>(
      `insert into rate_windows (key, window_ends_at, count) values ($1, $2, 1)
     on conflict (key) do update set
       count = case when rate_windows.window_ends_at <= $3 then 1 else rate_windows.count + 1 end,
       window_ends_at = case when rate_windows.window_ends_at <= $3 then excluded.window_ends_at
                             else rate_windows.window_ends_at end
     returning count, window_ends_at`,
      [key, new Date(now + windowMs), new Date(now)],
    ),
  )
  const row = rows[0]
  if (!row) throw new Error(`the rate window of ${key} was not counted`)
  if (row.count <= limit) return null
  return Math.max(1, Math.ceil((new Date(row.window_ends_at).getTime() - now) / 1000))
}

async function withinTimeout<T>(query: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`the database did not count within ${COUNT_TIMEOUT_MS} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      COUNT_TIMEOUT_MS,
    )
  })
  try {
    return await Promise.race([query, timedOut])
  } finally {
    clearTimeout(timer)
  }
}
