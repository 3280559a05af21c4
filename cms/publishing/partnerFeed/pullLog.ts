import type { Payload } from 'payload'
import { poolOf } from '../../db/pool.ts'

type PullRow = {
  partnerId: number
  format: string
  status: number
  itemCount: number
  /** The items served, `[{ id, version, pubstatus }]`, as JSON (made once per feed version). */
  itemsJson: string
  ip: string
  at: Date
}

/**
 * Rows held while the database does not take them: the first so many of an outage are
 * written when it answers again; pulls past them are counted, reported and not logged, so a
 * long outage under load costs the feed server a bounded amount of memory (~2 MB).
 */
export const MAX_HELD_PULLS = 10_000
const FLUSH_EVERY_MS = 100
const RETRY_EVERY_MS = 1000

/** Rows waiting for the next write, and those in writes under way (held all the same). */
let pending: PullRow[] = []
let writing = 0
let target: Payload | undefined
let isFlushScheduled = false
/** The outage under way: since when writes fail, and how many pulls went unlogged in it. */
let outage: Outage | null = null
type Outage = { since: number; dropped: number; isFailureReported: boolean; isFullReported: boolean }

/**
 * Queues one row for the distribution log. Rows are written together, one insert every
 * 100 ms, so that pulls under load do not each wait on a commit; `flushPullLog` writes what
 * is waiting (the feed server calls it when it stops). A failed write is tried again every
 * second with the rows that came since, up to MAX_HELD_PULLS.
 */
export function logPull({ payload, row }: { payload: Payload; row: PullRow }): void {
  target = payload
  if (pending.length + writing >= MAX_HELD_PULLS) {
    dropPull(payload)
    return
  }
  pending.push(row)
  scheduleFlush(outage ? RETRY_EVERY_MS : FLUSH_EVERY_MS)
}

export async function flushPullLog(): Promise<void> {
  const batch = pending
  pending = []
  isFlushScheduled = false
  const payload = target
  if (!payload || batch.length === 0) return
  writing += batch.length
  try {
    await insertRows({ payload, batch })
  } catch (err) {
    // Put back in front of the rows that came since, to be tried again: bounded, since
    // logPull counts the rows being written against MAX_HELD_PULLS too.
    pending = batch.concat(pending)
    scheduleFlush(RETRY_EVERY_MS)
    outage ??= newOutage()
    if (!outage.isFailureReported) {
      outage.isFailureReported = true
      payload.logger.warn({
        msg: `the partner pull log cannot be written (${(err as Error).message}): holding up to ${MAX_HELD_PULLS} pulls and trying again every second`,
      })
    }
    return
  } finally {
    writing -= batch.length
  }
  if (outage) reportResumed({ payload, written: batch.length })
}

/** What the log holds now and has dropped in the outage under way, for operators and tests. */
export function pullLogBacklog(): { held: number; dropped: number } {
  return { held: pending.length + writing, dropped: outage?.dropped ?? 0 }
}

function dropPull(payload: Payload): void {
  outage ??= newOutage()
  outage.dropped += 1
  if (outage.isFullReported) return
  outage.isFullReported = true
  payload.logger.warn({
    msg: `the partner pull log holds ${MAX_HELD_PULLS} pulls it cannot write: pulls from now on are counted, not logged, until the database takes them`,
  })
}

const newOutage = (): Outage => ({
  since: Date.now(),
  dropped: 0,
  isFailureReported: false,
  isFullReported: false,
})

function reportResumed({ payload, written }: { payload: Payload; written: number }): void {
  const { since, dropped } = outage as Outage
  outage = null
  const seconds = Math.round((Date.now() - since) / 1000)
  const msg = `the partner pull log is written again after ${seconds} s: ${written} pulls held were written, ${dropped} pulls were dropped`
  if (dropped > 0) payload.logger.warn({ msg, dropped })
  else payload.logger.info({ msg, dropped })
}

function scheduleFlush(delayMs: number): void {
  if (isFlushScheduled) return
  isFlushScheduled = true
  setTimeout(() => void flushPullLog(), delayMs)
}

async function insertRows({ payload, batch }: { payload: Payload; batch: PullRow[] }): Promise<void> {
  // The batch as one JSON parameter: each distinct item list once (pulls of one feed version
  // share theirs, already JSON), and per pull a row naming its list. A pull costs no escaping
  // or copying of its item list, and the insert is one statement.
  const lists = new Map<string, number>()
  const rows = batch.map((row) => {
    let list = lists.get(row.itemsJson)
    if (list === undefined) {
      list = lists.size
      lists.set(row.itemsJson, list)
    }
    return `{"partnerId":${row.partnerId},"at":"${row.at.toISOString()}","format":${JSON.stringify(row.format)},"status":${row.status},"itemCount":${row.itemCount},"list":${list},"ip":${JSON.stringify(printable(row.ip))}}`
  })
  await poolOf(payload).query(
    `insert into partner_log (partner_id, kind, at, format, status, item_count, items, ip)
     select (r->>'partnerId')::int, 'pull', (r->>'at')::timestamptz, r->>'format',
            (r->>'status')::numeric, (r->>'itemCount')::numeric,
            $1::jsonb->'lists'->((r->>'list')::int), r->>'ip'
       from jsonb_array_elements($1::jsonb->'rows') with ordinality as t(r, n) order by n`,
    [`{"lists":[${[...lists.keys()].join(',')}],"rows":[${rows.join(',')}]}`],
  )
}

/** An address as given by a client (X-Forwarded-For), kept to what an address is made of. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '').slice(0, 200)
