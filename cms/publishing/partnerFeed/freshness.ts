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
  /** Partners: the latest save and the row count. Any save (a revoked or new key too) changes it. */
  partners: string
  /** performance.now() when the query was sent: answers built on it reflect the database since. */
  readAt: number
}

const QUERY = {
  name: 'hongyan-partner-feed-freshness',
  text: `select concat_ws(':',
      (select max(updated_at) from stories), (select count(*) from stories),
      (select max(updated_at) from sections), (select count(*) from sections),
      (select max(updated_at) from people), (select count(*) from people),
      (select max(updated_at) from media), (select count(*) from media)) as content,
    concat_ws(':', (select max(updated_at) from partners), (select count(*) from partners)) as partners`,
}

type State = {
  last: Freshness | null
  /** The query under way, and when it was sent. */
  running: { readAt: number; promise: Promise<Freshness> } | null
  /** One query for everyone who arrived while `running` was already too old for them. */
  next: Promise<Freshness> | null
}

const states = new WeakMap<Pool, State>()

/**
 * The freshness of the database for a request that arrived at `arrivedAt` (performance.now()),
 * read at most `maxAgeMs` before it: 0 means read after the request arrived, so an answer is
 * as current as a query of its own would make it. Requests share queries: one is under way at
 * a time, and a read younger than `maxAgeMs` is reused without one. So a revoked key, a
 * withdrawn story or a new one shows from the first request `maxAgeMs` after the change was
 * committed, at the latest.
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
    state = { last: null, running: null, next: null }
    states.set(pool, state)
  }
  const oldest = arrivedAt - maxAgeMs
  const { last, running } = state
  if (last && last.readAt >= oldest) return last
  if (!running) return read({ pool, state })
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
  const promise = pool
    .query<Record<string, unknown>>(QUERY)
    .then(({ rows }) => {
      const row = rows[0] ?? {}
      const freshness: Freshness = { content: String(row.content), partners: String(row.partners), readAt }
      if (!state.last || state.last.readAt < readAt) state.last = freshness
      return freshness
    })
    .finally(() => {
      if (state.running?.promise === promise) state.running = null
    })
  state.running = { readAt, promise }
  return promise
}
