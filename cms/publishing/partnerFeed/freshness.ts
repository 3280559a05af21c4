import type { Payload } from 'payload'
import type { Pool } from 'pg'
import { poolOf } from '../../db/pool.ts'

/**
 * What partner feeds depend on in the database, read in one query: equal values mean equal
 * feeds for the same partner as saved (time alone changes a feed too, when an embargo ends or
 * a withdrawn story's 7 days are over: each rendered feed knows when, see cachedFeed).
 */
export type Freshness = {
  /**
   * Stories, and the sections, people and images they show: the latest save and the row count
   * of each table (a count, so that a deleted row changes it too).
   */
  content: string
  /**
   * The part of `content` for what stories show (sections, people, media): a plate read
   * under the same value shows them as they are now, if its story is unchanged.
   */
  shown: string
  /** Partners: the latest save and the row count. Any save (a revoked or new key too) changes it. */
  partners: string
  /** performance.now() when the query was sent: answers built on it reflect the database since. */
  readAt: number
}

const QUERY = {
  name: 'hongyan-partner-feed-freshness',
  text: `select concat_ws(':', (select max(updated_at) from stories), (select count(*) from stories)) as stories,
    concat_ws(':',
      (select max(updated_at) from sections), (select count(*) from sections),
      (select max(updated_at) from people), (select count(*) from people),
      (select max(updated_at) from media), (select count(*) from media)) as shown,
    concat_ws(':', (select max(updated_at) from partners), (select count(*) from partners)) as partners`,
}

type State = {
  last: Freshness | null
  /** The query under way, and when it was sent. */
  running: { readAt: number; promise: Promise<Freshness> } | null
  /** One query for everyone who arrived while `running` was already too old for them. */
  next: Promise<Freshness> | null
  /** The last read, when it failed: when it ended and why. */
  failed: { at: number; error: unknown } | null
}

const states = new WeakMap<Pool, State>()

/**
 * The freshness of the database for a request that arrived at `arrivedAt` (performance.now()),
 * read at most `maxAgeMs` before it: 0 means read after the request arrived, so an answer is
 * as current as a query of its own would make it. Requests share queries: one is under way at
 * a time, and a read younger than `maxAgeMs` is reused without one (one older than half of it
 * starts the next read without waiting for it). So a revoked key, a
 * withdrawn story or a new one shows from the first request `maxAgeMs` after the change was
 * committed, at the latest. A database that did not answer is asked again at most every
 * RETRY_AFTER_FAILURE_MS: the requests in between fail at once with its error, rather than
 * each trying a connection (thousands a second under load, at a server starting up).
 */
export function freshnessFor({
  payload,
  arrivedAt,
  maxAgeMs,
}: {
  payload: Payload
  arrivedAt: number
  maxAgeMs: number
}): Freshness | Promise<Freshness> {
  const pool = poolOf(payload)
  let state = states.get(pool)
  if (!state) {
    state = { last: null, running: null, next: null, failed: null }
    states.set(pool, state)
  }
  const oldest = arrivedAt - maxAgeMs
  const { last, running, failed } = state
  if (last && last.readAt >= oldest) {
    // Read again ahead of need once half the window is gone, while answering from this one:
    // under steady requests no one waits for a read, and a feed confirmed by the last read
    // can be answered while its next version renders (see cachedFeed).
    const isAging = last.readAt < arrivedAt - maxAgeMs / 2
    const mayRetry = !failed || arrivedAt - failed.at >= RETRY_AFTER_FAILURE_MS
    if (isAging && !running && mayRetry) read({ pool, state }).catch(() => {})
    return last
  }
  if (!running) {
    if (failed && arrivedAt - failed.at < RETRY_AFTER_FAILURE_MS) throw failed.error
    return read({ pool, state })
  }
  if (running.readAt >= oldest) return running.promise
  const current = state
  current.next ??= running.promise
    .catch(() => undefined)
    .then(() => {
      current.next = null
      return read({ pool, state: current })
    })
  return current.next
}

function read({ pool, state }: { pool: Pool; state: State }): Promise<Freshness> {
  const readAt = performance.now()
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`the database did not answer within ${READ_TIMEOUT_MS} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      READ_TIMEOUT_MS,
    )
  })
  const query = pool.query<Record<string, unknown>>(QUERY).then(({ rows }) => {
    const row = rows[0] ?? {}
    const shown = String(row.shown)
    const freshness: Freshness = {
      content: `${String(row.stories)}:${shown}`,
      shown,
      partners: String(row.partners),
      readAt,
    }
    if (!state.last || state.last.readAt < readAt) state.last = freshness
    state.failed = null
    return freshness
  })
  const promise = Promise.race([query, timedOut])
    .catch((error: unknown) => {
      state.failed = { at: performance.now(), error }
      throw error
    })
    .finally(() => {
      clearTimeout(timer)
      if (state.running?.promise === promise) state.running = null
    })
  state.running = { readAt, promise }
  return promise
}

/**
 * A read that takes longer is taken for a database that does not answer (stopped mid-query,
 * unreachable): the requests waiting on it get a 503 rather than hang.
 */
const READ_TIMEOUT_MS = 3_000
const RETRY_AFTER_FAILURE_MS = 250
