import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom, to as copyTo } from 'pg-copy-streams'
import { quoteIdent } from '../../db/quoteIdent.ts'
import { COPY_INDEX_FILE } from './archive.ts'
import { listSequences, listTables } from './catalog.ts'

/**
 * The `hongyan-copy` format, for when no pg_dump as new as the server is at hand: every table
 * of the schema as a `COPY` text file and `database/tables.json` indexing them with their
 * columns and row counts, and every sequence's value. Restored onto the schema this code's
 * migrations build, so it holds rows only.
 */
export type CopyIndex = {
  tables: { name: string; file: string; columns: string[]; rows: number }[]
  sequences: { name: string; lastValue: string; isCalled: boolean }[]
}

/** Writes the tables of the connection's schema and its sequences' values into `dir`. */
export async function writeCopies({ client, dir }: { client: pg.Client; dir: string }): Promise<void> {
  await mkdir(path.join(dir, 'database', 'tables'), { recursive: true })
  const index: CopyIndex = { tables: [], sequences: [] }
  for (const { name, columns } of await listTables({ client })) {
    const file = `database/tables/${encodeURIComponent(name)}.copy`
    const source = client.query(
      copyTo(`copy ${quoteIdent(name)} (${columns.map(quoteIdent).join(', ')}) to stdout`),
    )
    await pipeline(source, createWriteStream(path.join(dir, file)))
    index.tables.push({ name, file, columns, rows: source.rowCount })
  }
  for (const name of await listSequences({ client })) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `select last_value::text, is_called from ${quoteIdent(name)}`,
    )
    const row = rows[0]
    if (row) index.sequences.push({ name, lastValue: row.last_value, isCalled: row.is_called })
  }
  await writeFile(path.join(dir, COPY_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`)
}

/**
 * Loads the rows of `index` (files under `dir`) into the freshly migrated schema, replacing
 * the migrations' own rows, in one transaction with the foreign keys checked at its end, and
 * sets the sequences. The schema must be the archive's, table for table and column for column.
 */
export async function loadCopies({
  index,
  dir,
  client,
}: {
  index: CopyIndex
  dir: string
  client: pg.Client
}): Promise<void> {
  const present = await listTables({ client })
  const archived = index.tables.map((table) => table.name).sort()
  if (present.map((table) => table.name).join('\n') !== archived.join('\n')) {
    throw new Error(
      "the migrated database's tables are not the archive's: the archive does not match this code",
    )
  }
  const presentSequences = new Set(await listSequences({ client }))
  await client.query('begin')
  // Payload's foreign keys are NOT DEFERRABLE; made deferrable for this transaction only, so
  // rows load in any order and are still all checked before the commit.
  const { rows: keys } = await client.query<{ table: string; name: string }>(
    `select conrelid::regclass::text as table, conname as name from pg_constraint
      where contype = 'f' and connamespace = current_schema()::regnamespace and not condeferrable`,
  )
  for (const key of keys) {
    await client.query(
      `alter table ${key.table} alter constraint ${quoteIdent(key.name)} deferrable initially deferred`,
    )
  }
  // The migrations wrote their own rows (payload_migrations): the archive's replace them.
  await client.query(`truncate ${present.map((table) => quoteIdent(table.name)).join(', ')}`)
  for (const table of index.tables) {
    const columns = present.find((candidate) => candidate.name === table.name)?.columns ?? []
    const unknown = table.columns.filter((column) => !columns.includes(column))
    if (unknown.length)
      throw new Error(`table ${table.name} has no column ${unknown.join(', ')} in this code's schema`)
    const sink = client.query(
      copyFrom(`copy ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) from stdin`),
    )
    await pipeline(createReadStream(path.join(dir, table.file)), sink)
    if (sink.rowCount !== table.rows) {
      throw new Error(`table ${table.name}: ${sink.rowCount} rows loaded, the archive lists ${table.rows}`)
    }
  }
  for (const sequence of index.sequences) {
    if (!presentSequences.has(sequence.name))
      throw new Error(`no sequence ${sequence.name} in this code's schema`)
    await client.query('select setval($1::regclass, $2::bigint, $3)', [
      quoteIdent(sequence.name),
      sequence.lastValue,
      sequence.isCalled,
    ])
  }
  await client.query('set constraints all immediate')
  for (const key of keys) {
    await client.query(`alter table ${key.table} alter constraint ${quoteIdent(key.name)} not deferrable`)
  }
  await client.query('commit')
}
