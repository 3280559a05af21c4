import type { Payload } from 'payload'
import { collectionSlugs } from '../../collections/slugs.ts'
import type { Partner } from '../../payload-types.ts'

type Pool = { query: (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> }

const poolOf = (payload: Payload) => (payload.db as unknown as { pool: Pool }).pool

/** Partners by id, kept while their row is unchanged: any save (a revocation too) changes `updated_at`. */
const partners = new Map<number, { updatedAt: string; partner: Partner }>()

/**
 * The partner a key belongs to, checked against the database on every request (one
 * indexed lookup), so a revoked or rotated key is refused from the very next request.
 */
export async function partnerForKeyHash({ payload, keyHash }: { payload: Payload; keyHash: string }) {
  const { rows } = await poolOf(payload).query(
    'select id, updated_at from partners where key_hash = $1 limit 1',
    [keyHash],
  )
  const row = rows[0]
  if (!row) return null
  const id = Number(row.id)
  const updatedAt = new Date(row.updated_at as string).toISOString()
  const cached = partners.get(id)
  if (cached?.updatedAt === updatedAt) return cached.partner
  const partner = await payload.findByID({
    collection: collectionSlugs.partners,
    id,
    depth: 0,
    overrideAccess: true,
  })
  partners.set(id, { updatedAt, partner })
  return partner
}

/**
 * A fingerprint of everything a partner feed depends on besides the partner: the published
 * stories' latest change and count, how many embargoes have ended, and the hour (withdrawn
 * stories leave the feed 7 days on). Equal fingerprints mean an equal feed.
 */
export async function contentStamp({ payload, now }: { payload: Payload; now: Date }): Promise<string> {
  const { rows } = await poolOf(payload).query(
    `select count(*) as stories, max(updated_at) as changed,
            count(*) filter (where embargo_until <= $1) as released
       from stories where _status = 'published'`,
    [now.toISOString()],
  )
  const row = rows[0] ?? {}
  const changed = row.changed ? new Date(row.changed as string).toISOString() : ''
  return `${row.stories}:${changed}:${row.released}:${Math.floor(now.getTime() / 3_600_000)}`
}

/** One row in the distribution log, written straight to its table: a pull must stay cheap. */
export async function logPullRow({
  payload,
  partnerId,
  format,
  status,
  items,
  ip,
  at,
}: {
  payload: Payload
  partnerId: number
  format: string
  status: number
  items: { id: number; version: number; pubstatus: string }[]
  ip: string
  at: Date
}) {
  await poolOf(payload).query(
    `insert into partner_log (partner_id, kind, at, format, status, item_count, items, ip)
     values ($1, 'pull', $2, $3, $4, $5, $6, $7)`,
    [partnerId, at.toISOString(), format, status, items.length, JSON.stringify(items), ip],
  )
}
