import type pg from 'pg'
import { quoteIdent } from '../../db/quoteIdent.ts'
import type { DatabaseDescription } from './archive.ts'

/**
 * What the database at hand holds, as a backup and a restore see it: the server, the
 * tables and sequences of the connection's schema, the migrations applied, a few counts;
 * and, for a failed restore, the objects that appeared since a moment and their removal.
 */

export async function describeServer({ client }: { client: pg.ClientBase }): Promise<DatabaseDescription> {
  const { rows } = await client.query<{ name: string; schema: string; version: string; num: string }>(
    `select current_database() as name, current_schema() as schema,
            current_setting('server_version') as version, current_setting('server_version_num') as num`,
  )
  const row = rows[0]
  if (!row) throw new Error('the database did not describe itself')
  return {
    name: row.name,
    schema: row.schema,
    serverVersion: row.version,
    serverMajor: Math.floor(Number(row.num) / 10000),
  }
}

/** Ordinary tables of the current schema with their stored (not generated) columns, in order. */
export async function listTables({
  client,
}: {
  client: pg.ClientBase
}): Promise<{ name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(
    `select c.relname as name,
            array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
      group by c.relname
      order by c.relname`,
  )
  return rows
}

export async function listSequences({ client }: { client: pg.ClientBase }): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select relname as name from pg_class
      where relnamespace = current_schema()::regnamespace and relkind = 'S' order by relname`,
  )
  return rows.map((row) => row.name)
}

/** Tables (of any kind) in the connection's schema: a database without any is "empty". */
export async function countTables({ client }: { client: pg.ClientBase }): Promise<number> {
  const { rows } = await client.query<{ count: number }>(
    `select count(*)::int as count from pg_class
      where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p', 'f')`,
  )
  return rows[0]?.count ?? 0
}

/** The Payload migrations applied to the database, by name. */
export async function appliedMigrations({ client }: { client: pg.ClientBase }): Promise<string[]> {
  if (!(await tableExists({ client, table: 'payload_migrations' }))) return []
  const { rows } = await client.query<{ name: string }>(
    // batch -1 marks a development schema push, not a migration
    'select name from payload_migrations where batch is distinct from -1 order by name',
  )
  return rows.map((row) => row.name)
}

/** The rows of `table`, 0 when there is no such table. */
export async function countRows({
  client,
  table,
}: {
  client: pg.ClientBase
  table: string
}): Promise<number> {
  if (!(await tableExists({ client, table }))) return 0
  const { rows } = await client.query<{ count: number }>(
    `select count(*)::int as count from ${quoteIdent(table)}`,
  )
  return rows[0]?.count ?? 0
}

export type SchemaObjects = { relations: Set<string>; types: Set<string> }

/** The relations and free-standing types of the schema, by name. */
export async function schemaObjects({ client }: { client: pg.ClientBase }): Promise<SchemaObjects> {
  const relations = await client.query<{ name: string }>(
    `select relname as name from pg_class
      where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p', 'S', 'v', 'm', 'f')`,
  )
  const types = await client.query<{ name: string }>(
    `select typname as name from pg_type
      where typnamespace = current_schema()::regnamespace and typtype in ('e', 'd', 'r', 'm')`,
  )
  return {
    relations: new Set(relations.rows.map((row) => row.name)),
    types: new Set(types.rows.map((row) => row.name)),
  }
}

/** Drops what appeared in the schema since `before` (a restore's migrated tables and enums). */
export async function dropCreatedObjects({
  client,
  before,
}: {
  client: pg.ClientBase
  before: SchemaObjects
}): Promise<void> {
  const after = await schemaObjects({ client })
  const tables = await client.query<{ name: string; kind: string }>(
    `select relname as name, relkind as kind from pg_class
      where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      order by case relkind when 'S' then 1 else 0 end`,
  )
  for (const { name, kind } of tables.rows) {
    if (before.relations.has(name) || !after.relations.has(name)) continue
    await client.query(`drop ${RELATION_KINDS[kind]} if exists ${quoteIdent(name)} cascade`)
  }
  for (const name of after.types) {
    if (!before.types.has(name)) await client.query(`drop type if exists ${quoteIdent(name)} cascade`)
  }
}

const RELATION_KINDS: Record<string, string> = {
  r: 'table',
  p: 'table',
  f: 'foreign table',
  v: 'view',
  m: 'materialized view',
  S: 'sequence',
}

async function tableExists({ client, table }: { client: pg.ClientBase; table: string }): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>(
    `select exists (select 1 from pg_class where relnamespace = current_schema()::regnamespace
                     and relname = $1 and relkind in ('r', 'p')) as found`,
    [table],
  )
  return rows[0]?.found === true
}
