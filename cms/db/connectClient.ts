import pg from 'pg'
import { redact } from './ensureDatabase.ts'

/**
 * One connection of its own to the database at `url` (outside Payload's pool: a backup's
 * snapshot, a restore's transaction). A refusal names the database with its password hidden.
 */
export async function connectClient({ url }: { url: string }): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (err) {
    await client.end().catch(() => undefined)
    throw new Error(`cannot connect to ${redact(url)}: ${(err as Error).message}`, { cause: err })
  }
  return client
}
