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
  /** The latest read (performance.now() when sent) that found each recent `content` stamp. */
  seen: Map<string, number>
  /** Called with a read that found `content` changed (see onContentChange). */
  listeners: Set<(freshness: Freshness) => void>
  /** While requests come (until `activeUntil`), the stamp is read every `refreshEveryMs`. */
  activeUntil: number
  refreshEveryMs: number
  timer: NodeJS.Timeout | null
}

const states = new WeakMap<Pool, State>()

function stateOf(pool: Pool): State {
  let state = states.get(pool)
  if (!state) {
    state = {
      last: null,
      running: null,
      next: null,
      failed: null,
      seen: new Map(),
      listeners: new Set(),
      activeUntil: 0,
      refreshEveryMs: Number.POSITIVE_INFINITY,
      timer: null,
    }
    states.set(pool, state)
  }
  return state
}

/**
 * The freshness of the database for a request that arrived at `arrivedAt` (performance.now()),
 * read at most `maxAgeMs` before it: 0 means read after the request came, so an answer is as
 * current as a query of its own would make it. Requests share queries: one is under way at a
 * time, and a read younger than `maxAgeMs` is reused without one.
 *
 * While requests come (and for ACTIVE_MS after the last), the stamp is read on a clock every
 * quarter of the window, whatever the pattern of the requests, so that they rarely wait for a
 * read, a change is seen a quarter of a window after it at most, and the version before it
 * stays answerable (see `lastSeenAt`) for at least three quarters of a window after it is seen:
 * time to render the next (see onContentChange). So a revoked key, a withdrawn story or a new one
 * shows from the first request `maxAgeMs` after the change was committed, at the latest. A
 * database that did not answer is asked again at most every RETRY_AFTER_FAILURE_MS: the
 * requests in between fail at once with its error, rather than each trying a connection
 * (thousands a second under load, at a server starting up).
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
  const state = stateOf(pool)
  if (maxAgeMs > 0)
    keepReading({ pool, state, everyMs: Math.max(MIN_READ_EVERY_MS, maxAgeMs / 4), now: arrivedAt })
  const oldest = arrivedAt - maxAgeMs
  const { last, running, failed } = state
  if (last && last.readAt >= oldest) return last
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

/**
 * The latest read (performance.now() when it was sent) that found the database's content at
 * `content` (a Freshness.content), or -Infinity: a feed rendered under that stamp was current
 * then, and may be answered to a request that allows a read that old.
 */
export function lastSeenAt({ payload, content }: { payload: Payload; content: string }): number {
  return stateOf(poolOf(payload)).seen.get(content) ?? Number.NEGATIVE_INFINITY
}

/**
 * Calls `listener` with each read that finds the content changed (not with the first read):
 * a feed server renders ahead what its partners asked for lately. Returns the unsubscribe.
 */
export function onContentChange({
  payload,
  listener,
}: {
  payload: Payload
  listener: (freshness: Freshness) => void
}): () => void {
  const { listeners } = stateOf(poolOf(payload))
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Reads on a clock while requests come; the clock stops ACTIVE_MS after the last request. */
function keepReading({
  pool,
  state,
  everyMs,
  now,
}: {
  pool: Pool
  state: State
  everyMs: number
  now: number
}): void {
  if (state.activeUntil < now) state.refreshEveryMs = everyMs
  else state.refreshEveryMs = Math.min(state.refreshEveryMs, everyMs)
  state.activeUntil = now + ACTIVE_MS
  if (state.timer) return
  const tick = () => {
    const at = performance.now()
    if (at >= state.activeUntil) {
      state.timer = null
      return
    }
    const mayRetry = !state.failed || at - state.failed.at >= RETRY_AFTER_FAILURE_MS
    if (!state.running && mayRetry) read({ pool, state }).catch(() => {})
    state.timer = setTimeout(tick, state.refreshEveryMs)
    state.timer.unref()
  }
  state.timer = setTimeout(tick, state.refreshEveryMs)
  state.timer.unref()
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
    const isChanged = state.last !== null && state.last.content !== freshness.content
    if (!state.last || state.last.readAt < readAt) state.last = freshness
    state.failed = null
    if ((state.seen.get(freshness.content) ?? Number.NEGATIVE_INFINITY) < readAt) {
      state.seen.delete(freshness.content)
      state.seen.set(freshness.content, readAt)
      if (state.seen.size > MAX_SEEN) state.seen.delete(state.seen.keys().next().value as string)
    }
    if (isChanged && state.last === freshness)
      for (const listener of state.listeners) {
        try {
          listener(freshness)
        } catch {
          // a listener's failure is its own (a render ahead that failed is made by a request)
        }
      }
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
/** The clock reads no more often than this, however short the window. */
const MIN_READ_EVERY_MS = 50
/** How long after the last request the stamp is still read on a clock. */
const ACTIVE_MS = 30_000
/** Content stamps remembered with the latest read that found them. */
const MAX_SEEN = 8
