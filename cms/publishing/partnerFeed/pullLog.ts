import type { Payload } from 'payload'
import type { Pool } from 'pg'
import { poolOf } from '../../db/pool.ts'
import type { Partner } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'

/** Partners by key hash (null: no such key), as of a partners stamp (see Freshness). */
const byKeyHash = new Map<string, { partners: string; partner: Partner | null }>()
/** Partners by id as last read, kept while their row is unchanged. */
const byId = new Map<number, { updatedAt: string; partner: Partner }>()
const MAX_KEYS = 10_000

/**
 * The partner a key belongs to, or null. Kept in memory while `partnersStamp` holds: any save
 * of any partner (a revocation, a new key) changes the stamp, and the next lookup reads the
 * database again. The stamp is read at most the feed's freshness window before the request
 * (see freshnessFor), so a revoked key is refused within that window.
 */
export async function partnerForKeyHash({
  payload,
  keyHash,
  partnersStamp,
}: {
  payload: Payload
  keyHash: string
  partnersStamp: string
}): Promise<Partner | null> {
  const cached = byKeyHash.get(keyHash)
  if (cached?.partners === partnersStamp) return cached.partner
  const { rows } = await poolOf(payload).query(
    'select id, updated_at from partners where key_hash = $1 limit 1',
    [keyHash],
  )
  const row = rows[0]
  let partner: Partner | null = null
  if (row) {
    const id = Number(row.id)
    const updatedAt = new Date(row.updated_at as string).toISOString()
    const known = byId.get(id)
    partner =
      known?.updatedAt === updatedAt
        ? known.partner
        : await payload.findByID({ collection: collectionSlugs.partners, id, depth: 0, overrideAccess: true })
    byId.set(id, { updatedAt, partner })
  }
  // Unknown keys are remembered too (a client retrying a bad key costs no query), within bounds.
  if (byKeyHash.size >= MAX_KEYS) byKeyHash.clear()
  byKeyHash.set(keyHash, { partners: partnersStamp, partner })
  return partner
}

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

function scheduleFlush(delayMs: number): void {
  if (isFlushScheduled) return
  isFlushScheduled = true
  setTimeout(() => void flushPullLog(), delayMs)
}

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

/** An address as given by a client (X-Forwarded-For), kept to what an address is made of. */
const printable = (text: string) => text.replace(/[^\x20-\x7e]/g, '').slice(0, 200)
