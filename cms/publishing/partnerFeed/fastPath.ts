import type { Payload } from 'payload'
import { collectionSlugs } from '../../collections/slugs.ts'
import type { Partner } from '../../payload-types.ts'

type Pool = { query: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }

const poolOf = (payload: Payload) => (payload.db as unknown as { pool: Pool }).pool

/** Partners by id, kept while their row is unchanged: any save (a revocation too) changes `updated_at`. */
const partners = new Map<number, { updatedAt: string; partner: Partner }>()

/**
 * The partner a key belongs to, checked against the database on every request, so a revoked
 * or rotated key is refused from the very next request; and, in the same round trip, the
 * content stamp its feed is cached under.
 */
export async function partnerForKeyHash({
  payload,
  keyHash,
  now,
}: {
  payload: Payload
  keyHash: string
  now: Date
}): Promise<{ partner: Partner; stamp: string } | null> {
  const { rows } = await poolOf(payload).query(
    `select p.id, p.updated_at,
            (select max(updated_at) from stories) as changed,
            (select count(*) from stories where embargo_until > $2) as embargoed
       from partners p where p.key_hash = $1 limit 1`,
    [keyHash, now.toISOString()],
  )
  const row = rows[0]
  if (!row) return null
  const stamp = stampOf({ row, now })
  const id = Number(row.id)
  const updatedAt = new Date(row.updated_at as string).toISOString()
  const cached = partners.get(id)
  if (cached?.updatedAt === updatedAt) return { partner: cached.partner, stamp }
  const partner = await payload.findByID({
    collection: collectionSlugs.partners,
    id,
    depth: 0,
    overrideAccess: true,
  })
  partners.set(id, { updatedAt, partner })
  return { partner, stamp }
}

/**
 * A fingerprint of everything a partner feed depends on besides the partner: the latest
 * change to any story, how many embargoes are still running, and the hour (withdrawn stories
 * leave the feed 7 days on). Both use indexes, so the check stays cheap at 100k stories.
 * Equal fingerprints mean an equal feed.
 */
function stampOf({ row, now }: { row: Record<string, unknown>; now: Date }): string {
  const changed = row.changed ? new Date(row.changed as string).toISOString() : ''
  return `${changed}:${row.embargoed}:${Math.floor(now.getTime() / 3_600_000)}`
}

type PullRow = {
  partnerId: number
  format: string
  status: number
  items: { id: number; version: number; pubstatus: string }[]
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
  const values: unknown[] = []
  const tuples = batch.map(({ row }, index) => {
    values.push(
      row.partnerId,
      row.at.toISOString(),
      row.format,
      row.status,
      row.items.length,
      JSON.stringify(row.items),
      row.ip,
    )
    const n = index * 7
    return `($${n + 1}, 'pull', $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7})`
  })
  await pool
    .query(
      `insert into partner_log (partner_id, kind, at, format, status, item_count, items, ip) values ${tuples.join(', ')}`,
      values,
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
