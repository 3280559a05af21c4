import type { Payload, PayloadRequest } from 'payload'

/** What raw SQL runs on: Drizzle's database or one of its transactions. */
export type SqlRunner = {
  execute: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }>
}

type DrizzleAdapter = {
  drizzle: SqlRunner
  sessions?: Record<string | number, { db?: SqlRunner } | undefined>
}

/**
 * The database a request's writes go through: its open transaction when it has one (a change
 * and what must follow from it commit or roll back together), else the adapter's pool. The
 * same lookup Payload's Postgres adapter makes for its own queries.
 */
export async function requestDb({
  payload,
  req,
}: {
  payload: Payload
  req?: PayloadRequest
}): Promise<SqlRunner> {
  const adapter = payload.db as unknown as DrizzleAdapter
  const id = req?.transactionID ? await req.transactionID : undefined
  return (id !== undefined ? adapter.sessions?.[id]?.db : undefined) ?? adapter.drizzle
}
