import type { Payload } from 'payload'
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
