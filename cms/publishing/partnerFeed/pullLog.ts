import type { Payload } from 'payload'
import type { Pool } from 'pg'
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

const pending: { pool: Pool; row: PullRow }[] = []
let isFlushScheduled = false
const FLUSH_EVERY_MS = 100

/**
 * Queues one row for the distribution log. Rows are written together, one insert every
 * 100 ms, so that pulls under load do not each wait on a commit; `flushPullLog` writes what
 * is waiting (the feed server calls it when it stops).
 */
export function logPull({ payload, row }: { payload: Payload; row: PullRow }): void {
  pending.push({ pool: poolOf(payload), row })
  scheduleFlush(FLUSH_EVERY_MS)
}

export async function flushPullLog(): Promise<void> {
  const batch = pending.splice(0, pending.length)
  isFlushScheduled = false
  const pool = batch[0]?.pool
  if (!pool) return
  // The batch as one JSON parameter: each distinct item list once (pulls of one feed version
  // share theirs, already JSON), and per pull a row naming its list. A pull costs no escaping
  // or copying of its item list, and the insert is one statement.
  const lists = new Map<string, number>()
  const rows = batch.map(({ row }) => {
    let list = lists.get(row.itemsJson)
    if (list === undefined) {
      list = lists.size
      lists.set(row.itemsJson, list)
    }
    return `{"partnerId":${row.partnerId},"at":"${row.at.toISOString()}","format":${JSON.stringify(row.format)},"status":${row.status},"itemCount":${row.itemCount},"list":${list},"ip":${JSON.stringify(printable(row.ip))}}`
  })
  await pool
    .query(
      `insert into partner_log (partner_id, kind, at, format, status, item_count, items, ip)
       select (r->>'partnerId')::int, 'pull', (r->>'at')::timestamptz, r->>'format',
              (r->>'status')::numeric, (r->>'itemCount')::numeric,
              $1::jsonb->'lists'->((r->>'list')::int), r->>'ip'
         from jsonb_array_elements($1::jsonb->'rows') with ordinality as t(r, n) order by n`,
      [`{"lists":[${[...lists.keys()].join(',')}],"rows":[${rows.join(',')}]}`],
    )
    .catch((err: unknown) => {
      // A failed write goes back to be tried with the next batch, never dropped silently.
      pending.unshift(...batch)
      scheduleFlush(1000)
      console.error(
        `hongyan: the partner pull log could not be written (${(err as Error).message}); will retry`,
      )
    })
}

function scheduleFlush(delayMs: number): void {
  if (isFlushScheduled) return
  isFlushScheduled = true
  setTimeout(() => void flushPullLog(), delayMs)
}

/** An address as given by a client (X-Forwarded-For), kept to what an address is made of. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '').slice(0, 200)
