import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream/promises'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { extract as extractTar, list as listTar } from 'tar'
import { redact } from '../db/ensureDatabase.ts'
import { projectRoot } from '../paths.ts'
import {
  COPY_INDEX_FILE,
  type CopyIndex,
  connect,
  countTables,
  DUMP_FILE,
  findPgTool,
  listSequences,
  listTables,
  MANIFEST_FILE,
  type Manifest,
  MEDIA_FOLDER,
  quoteIdent,
  runPgTool,
} from './backup.ts'

/**
 * Restores an archive of `createBackup` into the empty database at `databaseUrl` and the
 * empty (or absent) folder `mediaDir`. Nothing is touched until every member matches the
 * manifest's checksums and both targets are found empty; the media are unpacked beside
 * `mediaDir` and renamed into place once the database is in.
 */
export async function restoreBackup({
  archive,
  databaseUrl,
  mediaDir,
  log = () => {},
}: {
  archive: string
  databaseUrl: string
  mediaDir: string
  log?: (line: string) => void
}): Promise<{ manifest: Manifest }> {
  const file = path.resolve(archive)
  if (!existsSync(file) || !(await stat(file)).isFile()) throw new Error(`no archive at ${file}`)
  const target = path.resolve(mediaDir)
  await refuseFilledFolder({ dir: target })
  const createdParent = await mkdir(path.dirname(target), { recursive: true })
  // Beside the media folder, so that the final rename stays on one file system.
  const work = await mkdtemp(path.join(path.dirname(target), '.hongyan-restore-'))
  let isRestored = false
  try {
    const manifest = await unpackAndVerify({ file, work })
    log(
      `archive ${path.basename(file)}: ${manifest.format}, made ${manifest.createdAt} by Hongyan ${manifest.hongyanVersion}; ` +
        `${manifest.counts.stories} stories, ${manifest.counts.media} media, ${manifest.counts.users} users; checksums match`,
    )

    const client = await connect({ url: databaseUrl })
    try {
      const tables = await countTables({ client })
      if (tables > 0) {
        throw new Error(
          `the database ${redact(databaseUrl)} is not empty (${tables} tables): restore needs an empty database`,
        )
      }
      if (manifest.format === 'pg_dump-custom') {
        await restoreDump({ manifest, work, databaseUrl, log })
      } else {
        await restoreCopies({ manifest, work, client, databaseUrl, log })
      }
    } finally {
      await client.end()
    }

    await refuseFilledFolder({ dir: target })
    if (existsSync(target)) await rmdir(target)
    await rename(path.join(work, MEDIA_FOLDER), target)
    log(`media → ${target}`)
    isRestored = true
    return { manifest }
  } finally {
    // Retried: a failed unpack may still be closing files.
    await rm(work, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined)
    if (!isRestored && createdParent)
      await removeEmptyFolders({ from: path.dirname(target), upTo: createdParent })
  }
}

/** Removes `from` and its parents up to `upTo` (the folders this restore created), while empty. */
async function removeEmptyFolders({ from, upTo }: { from: string; upTo: string }): Promise<void> {
  for (let dir = from; dir.startsWith(upTo); dir = path.dirname(dir)) {
    const isRemoved = await rmdir(dir).then(
      () => true,
      () => false,
    )
    if (!isRemoved || dir === upTo) return
  }
}

async function refuseFilledFolder({ dir }: { dir: string }): Promise<void> {
  if (!existsSync(dir)) return
  if (!(await stat(dir)).isDirectory())
    throw new Error(`${dir} is not a folder: name an empty or absent media folder`)
  if ((await readdir(dir)).length > 0) {
    throw new Error(
      `the media folder ${dir} is not empty: restore into an empty or absent folder (--media <dir>)`,
    )
  }
}

const UNPACKED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory'])

/**
 * Checks the archive against its manifest (every listed file present with its size and
 * sha256, nothing unlisted) in a first read that writes nothing, then unpacks it into
 * `work`. Any difference refuses the archive.
 */
async function unpackAndVerify({ file, work }: { file: string; work: string }): Promise<Manifest> {
  const damaged = (why: string) => new Error(`the archive ${file} is damaged (${why}): nothing was restored`)
  const found = new Map<string, { sha256: string; bytes: number }>()
  let manifestText = ''
  try {
    await listTar({
      file,
      strict: true,
      onReadEntry: (entry) => {
        const name = entry.path.replace(/^(\.\/)+/, '').replace(/\/+$/, '')
        if (entry.type === 'Directory' || !UNPACKED_TYPES.has(entry.type)) return
        const hash = createHash('sha256')
        let bytes = 0
        const chunks: Buffer[] = []
        entry.on('data', (chunk: Buffer) => {
          hash.update(chunk)
          bytes += chunk.length
          if (name === MANIFEST_FILE) chunks.push(chunk)
        })
        entry.on('end', () => {
          found.set(name, { sha256: hash.digest('hex'), bytes })
          if (name === MANIFEST_FILE) manifestText = Buffer.concat(chunks).toString('utf8')
        })
      },
    })
  } catch (err) {
    throw damaged((err as Error).message.split('\n')[0] || 'unreadable')
  }
  let manifest: Manifest
  try {
    manifest = JSON.parse(manifestText) as Manifest
  } catch {
    throw damaged(`no readable ${MANIFEST_FILE}`)
  }
  if (
    manifest.kind !== 'hongyan-backup' ||
    manifest.manifestVersion !== 1 ||
    !Array.isArray(manifest.files)
  ) {
    throw new Error(`${file} is not a Hongyan backup this version can read`)
  }
  const listed = new Set(manifest.files.map((entry) => entry.path))
  for (const entry of manifest.files) {
    const actual = found.get(entry.path)
    if (!actual) throw damaged(`${entry.path} is missing`)
    if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) {
      throw damaged(`${entry.path} does not match its checksum`)
    }
  }
  const unlisted = [...found.keys()].find((name) => name !== MANIFEST_FILE && !listed.has(name))
  if (unlisted) throw damaged(`${unlisted} is not in the manifest`)

  await extractTar({
    file,
    cwd: work,
    strict: true,
    // Only files and folders: a link could point out of the work folder.
    filter: (_path, entry) => 'type' in entry && UNPACKED_TYPES.has(entry.type),
  })
  for (const entry of manifest.files) {
    const full = path.join(work, entry.path)
    if (!existsSync(full) || (await stat(full)).size !== entry.bytes) {
      throw new Error(`${entry.path} did not unpack from ${file}: nothing was restored`)
    }
  }
  await mkdir(path.join(work, MEDIA_FOLDER), { recursive: true })
  return manifest
}

/** `pg_restore` of `database.dump`, in one transaction: on any error nothing stays. */
async function restoreDump({
  manifest,
  work,
  databaseUrl,
  log,
}: {
  manifest: Manifest
  work: string
  databaseUrl: string
  log: (line: string) => void
}): Promise<void> {
  const dumpMajor = manifest.dumpTool?.major ?? 0
  const pgRestore = await findPgTool({ name: 'pg_restore', minimumMajor: dumpMajor })
  if (!pgRestore) {
    throw new Error(
      `this archive's database was written by pg_dump ${manifest.dumpTool?.version ?? '?'}: restoring it needs pg_restore ${dumpMajor} or newer (in HONGYAN_PG_BIN or on PATH)`,
    )
  }
  log(`database: pg_restore ${pgRestore.version} (${pgRestore.file})`)
  await runPgTool({
    tool: pgRestore,
    databaseUrl,
    args: [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      path.join(work, DUMP_FILE),
    ],
  })
}

/**
 * The `hongyan-copy` format: this code's migrations build the schema, then every table's
 * rows are loaded in one transaction, foreign keys checked at its end, and the sequences
 * set. A failure removes what the migrations created, leaving the database empty again.
 */
async function restoreCopies({
  manifest,
  work,
  client,
  databaseUrl,
  log,
}: {
  manifest: Manifest
  work: string
  client: pg.Client
  databaseUrl: string
  log: (line: string) => void
}): Promise<void> {
  const ours = await codeMigrations()
  const theirs = [...manifest.migrations].sort()
  if (ours.join('\n') !== theirs.join('\n')) {
    const missing = theirs.filter((name) => !ours.includes(name))
    const extra = ours.filter((name) => !theirs.includes(name))
    throw new Error(
      `this archive's schema (migrations up to ${theirs.at(-1) ?? 'none'}) is not this code's (up to ${ours.at(-1) ?? 'none'})` +
        `${missing.length ? `; unknown here: ${missing.join(', ')}` : ''}${extra.length ? `; not in the archive: ${extra.join(', ')}` : ''}` +
        ': restore with the Hongyan version that made it',
    )
  }
  const index = JSON.parse(await readFile(path.join(work, COPY_INDEX_FILE), 'utf8')) as CopyIndex
  const before = await schemaObjects({ client })
  try {
    log(`database: applying ${ours.length} migrations`)
    await runMigrations({ databaseUrl })
    await loadCopies({ index, work, client })
    log(`database: ${index.tables.length} tables, ${index.sequences.length} sequences loaded`)
  } catch (err) {
    await client.query('rollback').catch(() => undefined)
    await dropCreatedObjects({ client, before }).catch(() => undefined)
    throw err
  }
}

async function codeMigrations(): Promise<string[]> {
  const { migrations } = await import('../migrations/index.ts')
  return migrations.map((migration) => migration.name).sort()
}

/** `npm run migrate` on the target, as a child process: this process may run Payload on another database. */
async function runMigrations({ databaseUrl }: { databaseUrl: string }): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(projectRoot, 'scripts', 'migrate.ts')],
    {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  // Payload logs a failed migration over many lines: its name, the query, and the cause.
  let migration: string | undefined
  let cause: string | undefined
  let ownLine: string | undefined
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (raw) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the log's colour codes
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '')
      migration ??= /Error running migration (\S+)/.exec(line)?.[1]
      cause = /caused by: (?:error: )?(.*)$/.exec(line)?.[1] ?? cause
      if (line.startsWith('hongyan: ')) ownLine = line.slice('hongyan: '.length)
    })
  }
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`the migrations could not start: ${err.message}`)))
    // 'close', not 'exit': the last lines may still be in the pipes at exit.
    child.once('close', (code, signal) => {
      if (code === 0) return resolve()
      const why = migration
        ? `${migration}: ${cause ?? 'see npm run migrate'}`
        : (ownLine ?? signal ?? `exit code ${code}`)
      reject(new Error(`the migrations failed on the target: ${why.trim()}`))
    })
  })
}

async function loadCopies({ index, work, client }: { index: CopyIndex; work: string; client: pg.Client }) {
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
    await pipeline(createReadStream(path.join(work, table.file)), sink)
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

type SchemaObjects = { relations: Set<string>; types: Set<string> }

/** The relations and free-standing types of the schema, by name. */
async function schemaObjects({ client }: { client: pg.ClientBase }): Promise<SchemaObjects> {
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

/** Drops what appeared in the schema since `before` (the migrations' tables and enums). */
async function dropCreatedObjects({ client, before }: { client: pg.ClientBase; before: SchemaObjects }) {
  const after = await schemaObjects({ client })
  const tables = await client.query<{ name: string; kind: string }>(
    `select relname as name, relkind as kind from pg_class
      where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      order by case relkind when 'S' then 1 else 0 end`,
  )
  const kinds: Record<string, string> = {
    r: 'table',
    p: 'table',
    f: 'foreign table',
    v: 'view',
    m: 'materialized view',
    S: 'sequence',
  }
  for (const { name, kind } of tables.rows) {
    if (before.relations.has(name) || !after.relations.has(name)) continue
    await client.query(`drop ${kinds[kind]} if exists ${quoteIdent(name)} cascade`)
  }
  for (const name of after.types) {
    if (!before.types.has(name)) await client.query(`drop type if exists ${quoteIdent(name)} cascade`)
  }
}
