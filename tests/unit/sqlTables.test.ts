import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * Raw SQL (the pg pool, COPY, the backup's catalog) names Payload's tables by hand, where
 * neither Payload nor TypeScript checks them: a renamed collection or field would fail only
 * at run time, in the one query that names it. These tests read every SQL string under cms/
 * and scripts/ and hold each table it names (and each column an insert lists) against the
 * schema the committed migrations create.
 */

const projectRoot = path.resolve(import.meta.dirname, '../..')
const migrationsDir = path.join(projectRoot, 'cms', 'migrations')

type Schema = Map<string, Set<string>>
type Reference = { file: string; table: string; columns: string[]; sql: string }

describe('tables named in raw SQL', () => {
  it('all exist in the schema the migrations create, with the columns an insert lists', () => {
    const schema = migratedSchema()
    const references = ['cms', 'scripts'].flatMap((root) =>
      sourceFiles(path.join(projectRoot, root)).flatMap((file) =>
        sqlReferences({ file: path.relative(projectRoot, file), source: readFileSync(file, 'utf8') }),
      ),
    )
    // The scan finds the queries it is meant to watch: were it blind, it would pass anything.
    expect(references.map((ref) => ref.table)).toEqual(
      expect.arrayContaining(['partners', 'stories', 'partner_log', 'payload_migrations']),
    )
    const unknown = references.flatMap(({ file, table, columns }) => {
      const known = schema.get(table)
      if (!known) return [`${file}: no table ${table}`]
      return columns
        .filter((column) => !known.has(column))
        .map((column) => `${file}: no column ${table}.${column}`)
    })
    expect(unknown).toEqual([])
  })

  it('are found, and a table or column the migrations do not create is reported', () => {
    const source = [
      "await pool.query('select id, updated_at from partners where key_hash = $1 limit 1', [hash])",
      `await pool.query(\`select s.id from storys s join sections on true where s.id = ${'$'}{id}\`)`,
      "await pool.query('insert into partner_log (partner_id, kind, colour) values ($1, $2, $3)')",
      `await client.query(\`copy ${'$'}{quoteIdent(name)} (id) to stdout\`)`,
      "await countRows({ client, table: 'mediums' })",
      "const label = 'Select a story from the list'",
    ].join('\n')
    const references = sqlReferences({ file: 'planted.ts', source })
    expect(references.map(({ table, columns }) => ({ table, columns }))).toEqual([
      { table: 'partners', columns: [] },
      { table: 'storys', columns: [] },
      { table: 'sections', columns: [] },
      { table: 'partner_log', columns: ['partner_id', 'kind', 'colour'] },
      { table: 'mediums', columns: [] },
    ])
    const schema = migratedSchema()
    expect(references.filter(({ table }) => !schema.has(table)).map(({ table }) => table)).toEqual([
      'storys',
      'mediums',
    ])
    expect(schema.get('partner_log')?.has('colour')).toBe(false)
  })

  it("the migrations' latest snapshot holds exactly the tables their up() steps create", () => {
    const created = new Set<string>()
    for (const file of migrationFiles('.ts')) {
      const up = upOf(file)
      for (const [, verb, name] of up.matchAll(
        /\b(CREATE|DROP) (?:UNLOGGED )?TABLE (?:IF (?:NOT )?EXISTS )?"(\w+)"/gi,
      )) {
        if (verb?.toUpperCase() === 'CREATE') created.add(name ?? '')
        else created.delete(name ?? '')
      }
      for (const [, from, to] of up.matchAll(/ALTER TABLE "(\w+)" RENAME TO "(\w+)"/gi)) {
        created.delete(from ?? '')
        created.add(to ?? '')
      }
    }
    for (const table of TABLES_OUTSIDE_PAYLOAD) {
      expect(created.has(table)).toBe(true)
      created.delete(table)
    }
    expect([...payloadSnapshot().keys()].sort()).toEqual([...created].sort())
  })
})

/**
 * Tables a migration creates by hand that are no collection (the shared rate limits' windows,
 * the search index and its state, the site bucket's deployed objects), so Payload's snapshot
 * does not hold them: a snapshot that did would have the next `migrate:create` drop them.
 */
const TABLES_OUTSIDE_PAYLOAD = ['rate_windows', 'search_entries', 'search_index_state', 'site_deploy_objects']

describe('tables of a field’s many values', () => {
  it('each has an index leading with its parent, so one story’s values are read without walking the rest', () => {
    const latest = migrationFiles('.json').at(-1) as string
    const snapshot = JSON.parse(readFileSync(latest, 'utf8')) as {
      tables: Record<string, { name: string; indexes: Record<string, { columns: { expression: string }[] }> }>
    }
    const manyValued = Object.values(snapshot.tables).filter((table) =>
      /_(texts|numbers|rels)$/.test(table.name),
    )
    // Tags (stories_texts) and relationships (stories_rels) at least: were the filter blind, it would pass anything.
    expect(manyValued.map((table) => table.name)).toEqual(
      expect.arrayContaining(['stories_texts', '_stories_v_texts', 'stories_rels']),
    )
    const unindexed = manyValued
      .filter(
        (table) =>
          !Object.values(table.indexes).some((index) => index.columns[0]?.expression === 'parent_id'),
      )
      .map((table) => table.name)
    expect(unindexed).toEqual([])
  })
})

/** Tables and their columns after the last migration: Payload's and those made by hand. */
function migratedSchema(): Schema {
  const schema = payloadSnapshot()
  const ups = migrationFiles('.ts').map(upOf).join('\n')
  for (const table of TABLES_OUTSIDE_PAYLOAD) {
    const body = new RegExp(`CREATE (?:UNLOGGED )?TABLE "${table}" \\(([^;]*)\\);`, 'i').exec(ups)?.[1]
    if (!body) throw new Error(`no migration creates ${table}`)
    schema.set(table, new Set([...body.matchAll(/^\s*"(\w+)"/gm)].map((match) => match[1] ?? '')))
  }
  return schema
}

function upOf(file: string): string {
  const text = readFileSync(file, 'utf8')
  return text.slice(text.indexOf('function up('), text.indexOf('function down('))
}

/** Payload's tables and their columns after the last migration, from its drizzle snapshot. */
function payloadSnapshot(): Schema {
  const latest = migrationFiles('.json').at(-1)
  if (!latest) throw new Error(`no migration snapshots in ${migrationsDir}`)
  const snapshot = JSON.parse(readFileSync(latest, 'utf8')) as {
    tables: Record<string, { name: string; columns: Record<string, { name: string }> }>
  }
  return new Map(
    Object.values(snapshot.tables).map((table) => [
      table.name,
      new Set(Object.values(table.columns).map((column) => column.name)),
    ]),
  )
}

function migrationFiles(extension: '.ts' | '.json'): string[] {
  return readdirSync(migrationsDir)
    .filter((name) => /^\d{8}_\d{6}_\w+/.test(name) && name.endsWith(extension))
    .sort()
    .map((name) => path.join(migrationsDir, name))
}

/** The TypeScript files of a tree, migrations and generated types aside. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.startsWith(migrationsDir) && !file.endsWith('payload-types.ts'))
}

/** What SQL statements start with, each with the shape that tells it from prose. */
const SQL_STATEMENT =
  /^\s*(?:select\b[\s\S]*\bfrom\s|insert\s+into\s|update\s+\S+\s+set\s|delete\s+from\s|copy\s+\S+[\s\S]*\b(?:to\s+stdout|from\s+stdin)\b|truncate\s|alter\s+table\s|with\s+\w+\s+as\s*\()/i

/** A word that names a table, the table, and a column list after it (or a function's arguments). */
const TABLE_REFERENCE =
  /\b(from|into|update|join|copy|table|truncate)\s+(?:only\s+)?(?:"?public"?\.)?("?)([A-Za-z_][\w$]*)\2(\s*\(([^)]*)\))?/gi

/** Words after `from` that are no table: COPY's ends, a subquery. */
const NOT_TABLES = new Set(['stdin', 'stdout', 'select', 'lateral'])

/** What may stand before each word for it to name a table (`for update`, `as table` do not). */
const NAMES_A_TABLE_AFTER: Record<string, RegExp> = {
  // not `is distinct from`, not `extract(epoch from …)`
  from: /(?<!\bdistinct\s*|\(\s*\w+\s*)$/i,
  into: /$/,
  // not `for update`, `do update`, `on update`
  update: /(?<!\b(?:for|do|on)\s*)$/i,
  join: /$/,
  copy: /^\s*$/,
  table: /\b(?:alter|lock|truncate)\s*$/i,
  truncate: /^\s*$/,
}

/**
 * The tables named by the SQL strings of one source file (string and template literals that
 * read as SQL; an interpolated name is not known here and is skipped), and by `table: '…'`
 * arguments (the backup counts rows of tables it names so).
 */
function sqlReferences({ file, source }: { file: string; source: string }): Reference[] {
  const found: Reference[] = []
  const visit = (node: ts.Node) => {
    const sql = literalText(node)
    if (sql !== undefined && isSql(sql)) found.push(...tablesIn({ file, sql }))
    if (
      ts.isPropertyAssignment(node) &&
      node.name.getText() === 'table' &&
      ts.isStringLiteral(node.initializer)
    ) {
      found.push({ file, table: node.initializer.text, columns: [], sql: node.getText() })
    }
    ts.forEachChild(node, visit)
  }
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true))
  return found
}

/** SQL is written in lower case or in capitals; `Select a story from the list` is prose. */
function isSql(text: string): boolean {
  const first = /^\s*(\w+)/.exec(text)?.[1] ?? ''
  const isOneCase = first === first.toLowerCase() || first === first.toUpperCase()
  return isOneCase && SQL_STATEMENT.test(text)
}

const PLACEHOLDER = '$interpolated$'

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => `${PLACEHOLDER}${span.literal.text}`).join('')
  return undefined
}

function tablesIn({ file, sql }: { file: string; sql: string }): Reference[] {
  const withNames = new Set([...sql.matchAll(/(?:\bwith|,)\s+(\w+)\s+as\s*\(/gi)].map((match) => match[1]))
  const references: Reference[] = []
  for (const match of sql.matchAll(TABLE_REFERENCE)) {
    const [, word = '', , table = '', parenthesis, columnList] = match
    const keyword = word.toLowerCase()
    const isTableWord = NAMES_A_TABLE_AFTER[keyword]?.test(sql.slice(0, match.index)) === true
    // `from unnest(…)`: a function; `into t (a, b)` and `copy t (a, b)`: a table and its columns.
    const isFunction = parenthesis !== undefined && keyword !== 'into' && keyword !== 'copy'
    if (!isTableWord || isFunction || withNames.has(table) || NOT_TABLES.has(table.toLowerCase())) continue
    if (table.includes('$') || table.startsWith('pg_') || table === 'information_schema') continue
    const columns =
      keyword === 'into' && columnList !== undefined
        ? columnList.split(',').map((column) => column.trim().replaceAll('"', ''))
        : []
    references.push({ file, table, columns, sql })
  }
  return references
}
