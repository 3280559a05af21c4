import pg from 'pg'
import { quoteIdent } from './quoteIdent.ts'

/** Creates the database named in `url` on its server when it does not exist yet. */
export async function ensureDatabase({ url }: { url: string }): Promise<void> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  if (!name) throw new Error(`the database URL ${redact(url)} names no database`)
  // Managed servers often refuse the maintenance database: only go there when needed.
  const probe = new pg.Client({ connectionString: url })
  try {
    await probe.connect()
    await probe.end()
    return
  } catch (err) {
    await probe.end().catch(() => undefined)
    if ((err as { code?: string }).code !== '3D000') {
      throw new Error(`cannot connect to ${redact(url)}: ${describe(err)}`, { cause: err })
    }
  }
  await withMaintenanceClient({ url }, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name])
    if (found.rowCount === 0) await client.query(`create database ${quoteIdent(name)}`)
  })
}

/** Drops a database (used for the throw-away databases of tests). */
export async function dropDatabase({ url }: { url: string }): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1))
  await withMaintenanceClient({ url }, async (client) => {
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`)
  })
}

/** The URL with its password hidden, for messages and logs. */
export function redact(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

async function withMaintenanceClient(
  { url }: { url: string },
  work: (client: pg.Client) => Promise<void>,
): Promise<void> {
  const maintenance = new URL(url)
  maintenance.pathname = '/postgres'
  const client = new pg.Client({ connectionString: maintenance.toString() })
  await client.connect()
  try {
    await work(client)
  } finally {
    await client.end()
  }
}

function describe(err: unknown): string {
  if (err instanceof AggregateError) return err.errors.map(describe).join('; ')
  const { message, code } = err as { message?: string; code?: string }
  return message || code || String(err)
}
