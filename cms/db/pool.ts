import type { Payload } from 'payload'
import type { Pool } from 'pg'

/**
 * The `pg` pool under Payload's Postgres adapter: the one way Hongyan reaches it, for raw SQL
 * Payload has no API for (advisory locks, COPY, one-query freshness stamps).
 */
export const poolOf = (payload: Payload): Pool => (payload.db as unknown as { pool: Pool }).pool
