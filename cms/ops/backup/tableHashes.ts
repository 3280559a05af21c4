import type pg from 'pg'
import { quoteIdent } from '../../db/quoteIdent.ts'
import type { TableHash } from './archive.ts'
import { listTables } from './catalog.ts'

/**
 * Every ordinary table of the connection's schema with its row count and an md5 over its rows
 * (each row's text, hashed, the hashes sorted: the order rows are stored in does not count).
 * Run inside the caller's transaction, so that a backup hashes the very snapshot it dumps; the
 * settings that shape a row's text (time zone, date and interval style, float digits, bytea)
 * are fixed for that transaction, so that two sessions hash equal rows alike.
 */
export async function hashTables({ client }: { client: pg.ClientBase }): Promise<TableHash[]> {
  for (const setting of ROW_TEXT_SETTINGS) await client.query(`set local ${setting}`)
  const hashes: TableHash[] = []
  for (const { name } of await listTables({ client })) {
    const { rows } = await client.query<{ rows: number; md5: string }>(
      `select count(*)::int as rows,
              md5(coalesce(string_agg(row_md5, '' order by row_md5), '')) as md5
         from (select md5(t::text) as row_md5 from ${quoteIdent(name)} t) hashed`,
    )
    const row = rows[0]
    if (!row) throw new Error(`table ${name} could not be hashed`)
    hashes.push({ name, rows: row.rows, md5: row.md5 })
  }
  return hashes
}

/**
 * How `actual` (a restored copy) differs from `expected` (the manifest's): one line a table
 * missing, extra, or with other rows. Empty when they are the same.
 */
export function compareTableHashes({
  expected,
  actual,
}: {
  expected: TableHash[]
  actual: TableHash[]
}): string[] {
  const found = new Map(actual.map((table) => [table.name, table]))
  const differences: string[] = []
  for (const table of expected) {
    const restored = found.get(table.name)
    found.delete(table.name)
    if (!restored) differences.push(`table ${table.name} is missing`)
    else if (restored.rows !== table.rows)
      differences.push(`table ${table.name}: ${restored.rows} rows restored, ${table.rows} backed up`)
    else if (restored.md5 !== table.md5)
      differences.push(`table ${table.name}: the rows differ (md5 ${restored.md5}, backed up ${table.md5})`)
  }
  for (const name of found.keys()) differences.push(`table ${name} is not in the backup`)
  return differences
}

const ROW_TEXT_SETTINGS = [
  "timezone = 'UTC'",
  "datestyle = 'ISO, YMD'",
  "intervalstyle = 'postgres'",
  'extra_float_digits = 1',
  "bytea_output = 'hex'",
]
