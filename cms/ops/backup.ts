import { execFile, spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import {
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { promisify } from 'node:util'
import pg from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { create as createTar } from 'tar'
import { redact } from '../db/ensureDatabase.ts'
import { projectRoot } from '../paths.ts'

/**
 * A Hongyan backup is one `.tar.gz`:
 *
 * - `manifest.json`: what the archive holds, with every other member's sha256 and size;
 * - the database, in one of two formats (the manifest's `format`):
 *   - `pg_dump-custom`: `database.dump`, made by a `pg_dump` at least as new as the server;
 *   - `hongyan-copy`: `database/tables.json` and one `COPY` text file per table, made here
 *     in Node when there is no such `pg_dump` (the embedded Postgres packages ship none);
 * - `media/`: the uploads and their renditions.
 */
export const MANIFEST_FILE = 'manifest.json'
export const DUMP_FILE = 'database.dump'
export const COPY_INDEX_FILE = 'database/tables.json'
export const MEDIA_FOLDER = 'media'

export type BackupFormat = 'pg_dump-custom' | 'hongyan-copy'

export type Manifest = {
  kind: 'hongyan-backup'
  manifestVersion: 1
  createdAt: string
  hongyanVersion: string
  format: BackupFormat
  /** the pg_dump that wrote `database.dump` (format `pg_dump-custom` only) */
  dumpTool?: { version: string; major: number }
  database: { name: string; schema: string; serverVersion: string; serverMajor: number }
  /** the Payload migrations applied to the database, by name */
  migrations: string[]
  counts: { stories: number; media: number; users: number }
  files: ArchivedFile[]
}

export type ArchivedFile = { path: string; sha256: string; bytes: number }

/** `database/tables.json` of the `hongyan-copy` format. */
export type CopyIndex = {
  tables: { name: string; file: string; columns: string[]; rows: number }[]
  sequences: { name: string; lastValue: string; isCalled: boolean }[]
}

/** A pg_dump or pg_restore binary and its major version. */
export type PgTool = { file: string; version: string; major: number }

/** `backups/hongyan-<yyyyMMdd-HHmmss>.tar.gz` in the project, in local time. */
export function defaultArchivePath({ now = new Date() }: { now?: Date } = {}): string {
  const two = (value: number) => String(value).padStart(2, '0')
  const stamp =
    `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}` +
    `-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`
  return path.join(projectRoot, 'backups', `hongyan-${stamp}.tar.gz`)
}

/**
 * Writes one archive of the database at `databaseUrl` and the media folder. `out` is the
 * archive's path (a folder, existing or ending in `/`: a default name inside it) and is never overwritten.
 * The archive is written under a temporary name and renamed when complete.
 */
export async function createBackup({
  databaseUrl,
  mediaDir,
  out,
  log = () => {},
}: {
  databaseUrl: string
  mediaDir: string
  out: string
  log?: (line: string) => void
}): Promise<{ archive: string; manifest: Manifest }> {
  let archive = path.resolve(out)
  const isFolder = /[\\/]$/.test(out) || (existsSync(archive) && (await stat(archive)).isDirectory())
  if (isFolder) {
    archive = path.join(archive, path.basename(defaultArchivePath()))
  }
  if (existsSync(archive)) throw new Error(`${archive} already exists: name another archive with --out`)
  await mkdir(path.dirname(archive), { recursive: true })
  const staging = await mkdtemp(path.join(path.dirname(archive), '.hongyan-backup-'))
  const partial = path.join(
    path.dirname(archive),
    `.${path.basename(archive)}.${randomBytes(4).toString('hex')}.partial`,
  )
  try {
    const client = await connect({ url: databaseUrl })
    let described: Omit<Manifest, 'kind' | 'manifestVersion' | 'createdAt' | 'hongyanVersion' | 'files'>
    try {
      // One snapshot for everything read from the database, pg_dump included.
      await client.query('begin isolation level repeatable read read only')
      const server = await describeServer({ client })
      const pgDump = await findPgTool({ name: 'pg_dump', minimumMajor: server.serverMajor })
      const format: BackupFormat = pgDump ? 'pg_dump-custom' : 'hongyan-copy'
      log(
        pgDump
          ? `database ${server.name}: pg_dump ${pgDump.version} (${pgDump.file}), custom format`
          : `database ${server.name}: no pg_dump ${server.serverMajor} or newer found, COPY of every table`,
      )
      if (pgDump) {
        const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]?.id
        await runPgTool({
          tool: pgDump,
          databaseUrl,
          args: [
            '--format=custom',
            '--no-owner',
            '--no-privileges',
            `--snapshot=${snapshot}`,
            `--file=${path.join(staging, DUMP_FILE)}`,
          ],
        })
      } else {
        await copyTables({ client, dir: staging })
      }
      described = {
        format,
        ...(pgDump ? { dumpTool: { version: pgDump.version, major: pgDump.major } } : {}),
        database: server,
        migrations: await appliedMigrations({ client }),
        counts: {
          stories: await countRows({ client, table: 'stories' }),
          media: await countRows({ client, table: 'media' }),
          users: await countRows({ client, table: 'users' }),
        },
      }
      await client.query('commit')
    } finally {
      await client.end()
    }

    const mediaCount = await snapshotFolder({ from: mediaDir, to: path.join(staging, MEDIA_FOLDER) })
    log(`media: ${mediaCount} files from ${mediaDir}`)

    const files = await describeFiles({ dir: staging })
    const manifest: Manifest = {
      kind: 'hongyan-backup',
      manifestVersion: 1,
      createdAt: new Date().toISOString(),
      hongyanVersion: await hongyanVersion(),
      ...described,
      files,
    }
    await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`)
    const members = [
      MANIFEST_FILE,
      ...(await readdir(staging)).filter((name) => name !== MANIFEST_FILE).sort(),
    ]
    await createTar({ gzip: true, portable: true, cwd: staging, file: partial }, members)
    await rename(partial, archive)
    return { archive, manifest }
  } finally {
    await rm(partial, { force: true })
    await rm(staging, { recursive: true, force: true })
  }
}

export async function connect({ url }: { url: string }): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (err) {
    await client.end().catch(() => undefined)
    throw new Error(`cannot connect to ${redact(url)}: ${(err as Error).message}`, { cause: err })
  }
  return client
}

async function describeServer({ client }: { client: pg.Client }): Promise<Manifest['database']> {
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

/** The tables of the connection's schema, as COPY text files, and every sequence's value. */
async function copyTables({ client, dir }: { client: pg.Client; dir: string }): Promise<void> {
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

async function appliedMigrations({ client }: { client: pg.ClientBase }): Promise<string[]> {
  if (!(await tableExists({ client, table: 'payload_migrations' }))) return []
  const { rows } = await client.query<{ name: string }>(
    // batch -1 marks a development schema push, not a migration
    'select name from payload_migrations where batch is distinct from -1 order by name',
  )
  return rows.map((row) => row.name)
}

async function countRows({ client, table }: { client: pg.ClientBase; table: string }): Promise<number> {
  if (!(await tableExists({ client, table }))) return 0
  const { rows } = await client.query<{ count: number }>(
    `select count(*)::int as count from ${quoteIdent(table)}`,
  )
  return rows[0]?.count ?? 0
}

async function tableExists({ client, table }: { client: pg.ClientBase; table: string }): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>(
    `select exists (select 1 from pg_class where relnamespace = current_schema()::regnamespace
                     and relname = $1 and relkind in ('r', 'p')) as found`,
    [table],
  )
  return rows[0]?.found === true
}

/**
 * Copies (hard-links where the file system allows) the regular files under `from` into
 * `to`, so the archive holds exactly the files that were hashed. An absent folder gives
 * an empty one; symbolic links and other special files are left out.
 */
async function snapshotFolder({ from, to }: { from: string; to: string }): Promise<number> {
  await mkdir(to, { recursive: true })
  if (!existsSync(from)) return 0
  let count = 0
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) {
      count += await snapshotFolder({ from: source, to: target })
    } else if (entry.isFile()) {
      await link(source, target).catch(() => copyFile(source, target))
      count += 1
    }
  }
  return count
}

/** Every regular file under `dir` (relative, `/`-separated), with its sha256 and size. */
export async function describeFiles({ dir }: { dir: string }): Promise<ArchivedFile[]> {
  const files: ArchivedFile[] = []
  for (const relative of await listFiles({ dir })) {
    const full = path.join(dir, relative)
    files.push({ path: relative, sha256: await sha256File(full), bytes: (await stat(full)).size })
  }
  return files
}

export async function listFiles({ dir, prefix = '' }: { dir: string; prefix?: string }): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name
    if (entry.isDirectory()) found.push(...(await listFiles({ dir, prefix: relative })))
    else found.push(relative)
  }
  return found.sort()
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

async function hongyanVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
    version?: string
  }
  return manifest.version ?? 'unknown'
}

/**
 * The first `name` (pg_dump, pg_restore) whose major version is at least `minimumMajor`:
 * in the folder HONGYAN_PG_BIN first, then on PATH. Undefined when there is none.
 */
export async function findPgTool({
  name,
  minimumMajor,
}: {
  name: 'pg_dump' | 'pg_restore'
  minimumMajor: number
}): Promise<PgTool | undefined> {
  const folders = [process.env.HONGYAN_PG_BIN, ...(process.env.PATH ?? '').split(path.delimiter)].filter(
    (folder): folder is string => Boolean(folder),
  )
  for (const folder of folders) {
    const file = path.join(folder, name)
    if (!existsSync(file)) continue
    const version = await toolVersion({ file })
    if (version && version.major >= minimumMajor) return { file, ...version }
  }
  return undefined
}

async function toolVersion({
  file,
}: {
  file: string
}): Promise<{ version: string; major: number } | undefined> {
  try {
    const { stdout } = await promisify(execFile)(file, ['--version'], { timeout: 10_000 })
    // "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    const match = /\)\s+(\d+)(?:\.(\d+))?/.exec(stdout)
    return match ? { version: `${match[1]}.${match[2] ?? '0'}`, major: Number(match[1]) } : undefined
  } catch {
    return undefined
  }
}

/**
 * Runs pg_dump or pg_restore on `databaseUrl`. The password goes in PGPASSWORD, not on the
 * command line where `ps` would show it. Rejects with the tool's last error line.
 */
export async function runPgTool({
  tool,
  databaseUrl,
  args,
}: {
  tool: PgTool
  databaseUrl: string
  args: string[]
}): Promise<void> {
  const target = new URL(databaseUrl)
  const password = decodeURIComponent(target.password)
  target.password = ''
  const child = spawn(tool.file, [...args, `--dbname=${target.toString()}`], {
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let errors = ''
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000)
  })
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${tool.file} could not start: ${err.message}`)))
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve()
      const lines = errors.trim().split('\n').filter(Boolean)
      const why = lines.find((line) => /error/i.test(line)) ?? lines.at(-1) ?? signal ?? `exit code ${code}`
      const tidy = why
        .replace(/^pg_\w+: (error: )?/, '')
        .replace(/\s+/g, ' ')
        .trim()
      reject(new Error(`${path.basename(tool.file)} failed: ${tidy}`))
    })
  })
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
