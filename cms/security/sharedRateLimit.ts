import type { Payload } from 'payload'
import { poolOf } from '../db/pool.ts'
import { takeRequest } from './rateLimit.ts'

/**
 * Fixed windows per key, shared by every process on the database (feed servers, kitchens),
 * and cheap: a process reserves a block of a key's requests at a time from the key's row in
 * `rate_windows` (one `INSERT … ON CONFLICT DO UPDATE … RETURNING`), spends it in memory and
 * reserves the next block when half of this one is spent, in the background. So Postgres is
 * asked about once a block, and a request waits for it only when its process has none left.
 *
 * The row never hands out more than the limit in a window, so a key never gets more than its
 * limit, however many processes serve it. What a process reserved and did not spend before the
 * window ended is lost to the others: at most a block and a half a process (a block is a
 * twentieth of the limit, 1 to 100 requests). A window starts at the key's first request
 * anywhere and lasts `windowMs`.
 *
 * When the database does not answer, each process counts on its own (`takeRequest`, the limit
 * per process) until it does again, and says so once.
 */
export function takeSharedRequest({
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
}): number | null | Promise<number | null> {
  const window = windowOf({ key, now })
  const spent = spend({ payload, window, limit, windowMs, now })
  if (spent !== 'empty') return spent
  if (outage && now - outage.failedAt < RETRY_AFTER_FAILURE_MS)
    return takeRequest({ key, limit, windowMs, now })
  return reserve({ payload, window, limit, windowMs, now }).then(
    () => {
      const retried = spend({ payload, window, limit, windowMs, now })
      return retried === 'empty' ? retryAfterOf({ window, now }) : retried
    },
    () => takeRequest({ key, limit, windowMs, now }),
  )
}

/** The largest block a process reserves: Postgres is asked at most once per so many requests. */
export const MAX_BLOCK = 100
/** A database that failed a reservation is asked again no sooner than this. */
const RETRY_AFTER_FAILURE_MS = 1000
const PRUNE_EVERY_MS = 60_000

type Window = {
  key: string
  /** When the window of the tokens held ends (0: none held). */
  endsAt: number
  tokens: number
  /** The row had fewer left than a block: nothing more this window. */
  isExhausted: boolean
  reserving: Promise<void> | null
}

const windows = new Map<string, Window>()
let outage: { failedAt: number } | null = null
let prunedAt = 0

const blockOf = (limit: number) => Math.max(1, Math.min(MAX_BLOCK, Math.floor(limit / 20)))

function windowOf({ key, now }: { key: string; now: number }): Window {
  let window = windows.get(key)
  if (!window) {
    if (windows.size >= 10_000) for (const [old, held] of windows) if (held.endsAt <= now) windows.delete(old)
    window = { key, endsAt: 0, tokens: 0, isExhausted: false, reserving: null }
    windows.set(key, window)
  } else if (window.endsAt <= now && !window.reserving) {
    window.endsAt = 0
    window.tokens = 0
    window.isExhausted = false
  }
  return window
}

/** Spends a token held: null (go on), seconds to wait (over the limit), or 'empty' (reserve first). */
function spend({
  payload,
  window,
  limit,
  windowMs,
  now,
}: {
  payload: Payload
  window: Window
  limit: number
  windowMs: number
  now: number
}): number | null | 'empty' {
  if (window.endsAt > now && window.tokens > 0) {
    window.tokens -= 1
    if (window.tokens <= blockOf(limit) / 2 && !window.isExhausted && !window.reserving)
      // Ahead of need, off the request's path; a failure was reported where it happened, and
      // the next request that finds no token asks again (or counts on its own meanwhile).
      void reserve({ payload, window, limit, windowMs, now }).catch(() => undefined)
    return null
  }
  if (window.endsAt > now && window.isExhausted) return retryAfterOf({ window, now })
  return 'empty'
}

const retryAfterOf = ({ window, now }: { window: Window; now: number }) =>
  Math.max(1, Math.ceil((window.endsAt - now) / 1000))

/** Reserves the next block of the key's window (one under way per key; callers share it). */
function reserve({
  payload,
  window,
  limit,
  windowMs,
  now,
}: {
  payload: Payload
  window: Window
  limit: number
  windowMs: number
  now: number
}): Promise<void> {
  window.reserving ??= reserveBlock({ payload, window, limit, windowMs, now }).finally(() => {
    window.reserving = null
  })
  return window.reserving
}

async function reserveBlock({
  payload,
  window,
  limit,
  windowMs,
  now,
}: {
  payload: Payload
  window: Window
  limit: number
  windowMs: number
  now: number
}): Promise<void> {
  const block = blockOf(limit)
  const pool = poolOf(payload)
  try {
    // The window's count moves only up to the limit, and `granted` says how much of the block
    // it gave: all of it, what was left under the limit, or none.
    const { rows } = await pool.query<{ granted: number; window_ends_at: Date }>(
      `insert into rate_windows (key, window_ends_at, count, granted)
       values ($1, $2, least($3::int, $4::int), least($3::int, $4::int))
       on conflict (key) do update set
         window_ends_at = case when rate_windows.window_ends_at <= $5 then excluded.window_ends_at
                               else rate_windows.window_ends_at end,
         granted = case when rate_windows.window_ends_at <= $5 then least($3::int, $4::int)
                        else greatest(0, least($3::int, $4::int - rate_windows.count)) end,
         count = case when rate_windows.window_ends_at <= $5 then least($3::int, $4::int)
                      else least(rate_windows.count + $3::int, greatest(rate_windows.count, $4::int)) end
       returning granted, window_ends_at`,
      [window.key, new Date(now + windowMs), block, limit, new Date(now)],
    )
    const row = rows[0]
    if (!row) throw new Error(`the rate window of ${window.key} was not reserved`)
    const endsAt = new Date(row.window_ends_at).getTime()
    // A block of a window that began since: what was held belonged to the one that ended.
    if (endsAt !== window.endsAt) window.tokens = 0
    window.endsAt = endsAt
    window.tokens += row.granted
    window.isExhausted = row.granted < block
    if (outage) {
      outage = null
      payload.logger.info({ msg: 'rate limits are shared through the database again' })
    }
  } catch (err) {
    if (!outage)
      payload.logger.warn({
        msg: `rate limits cannot be reserved in the database (${(err as Error).message}): each process counts its own until it answers`,
      })
    outage = { failedAt: now }
    throw err
  }
  if (now - prunedAt >= PRUNE_EVERY_MS) {
    prunedAt = now
    // Windows that ended a while ago (keys no longer in use) are swept now and then.
    pool
      .query('delete from rate_windows where window_ends_at <= $1', [new Date(now - windowMs)])
      .catch((err: unknown) => payload.logger.warn({ msg: 'old rate windows could not be swept', err }))
  }
}
