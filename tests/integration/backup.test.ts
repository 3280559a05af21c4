import { execFile, spawn } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { create as createTar, extract as extractTar, list as listTar } from 'tar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropDatabase, ensureDatabase } from '../../cms/db/ensureDatabase.ts'
import type { Manifest } from '../../cms/ops/backup/archive.ts'
import { restoreBackup } from '../../cms/ops/backup/restoreBackup.ts'
import { migrationsDir, projectRoot } from '../../cms/paths.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { databaseUrlFor, startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let work: string
let archive: string
let manifest: Manifest
/** made with no pg_dump to be found, so always in the COPY format */
let copyArchive: string
const extraDatabases: string[] = []
const now = new Date('2026-11-01T02:00:00Z')

beforeAll(async () => {
  kitchen = await startTestKitchen()
  await seedDemoContent({ payload: kitchen.payload, now, adminPassword: 'demo-password-1' })
  work = await mkdtemp(path.join(tmpdir(), 'hongyan-test-backup-'))
  archive = path.join(work, 'kitchen.tar.gz')
  copyArchive = path.join(work, 'kitchen-copy.tar.gz')
}, 180_000)

afterAll(async () => {
  for (const url of extraDatabases) await dropDatabase({ url })
  if (work) await rm(work, { recursive: true, force: true })
  await kitchen?.cleanup()
})

/** A new, empty database on the test server, dropped after the file. */
async function emptyDatabase(): Promise<string> {
  const url = databaseUrlFor({ name: `hongyan_test_${randomUUID().slice(0, 8)}` })
  await ensureDatabase({ url })
  extraDatabases.push(url)
  return url
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Every table of the public schema → an md5 over all its rows, sorted. */
async function tableDigests(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const { rows: tables } = await client.query<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = 'public' order by tablename`,
    )
    const digests: Record<string, string> = {}
    for (const { name } of tables) {
      const { rows } = await client.query<{ digest: string; count: number }>(
        `select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest, count(*)::int as count
           from "${name}" t`,
      )
      digests[name] = `${rows[0]?.count} rows, md5 ${rows[0]?.digest}`
    }
    return digests
  })
}

async function sequenceValues(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `select sequencename as name from pg_sequences where schemaname = 'public' order by sequencename`,
    )
    const values: Record<string, string> = {}
    for (const { name } of rows) {
      const found = await client.query<{ value: string }>(
        `select last_value::text || ' ' || is_called::text as value from "${name}"`,
      )
      values[name] = found.rows[0]?.value ?? ''
    }
    return values
  })
}

async function tableCount(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ count: number }>(
      `select count(*)::int as count from pg_tables where schemaname = 'public'`,
    )
    return rows[0]?.count ?? -1
  })
}

/** Relative path → sha256 of every file under `dir`. */
async function fileDigests(dir: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    digests[path.relative(dir, full)] = createHash('sha256')
      .update(await readFile(full))
      .digest('hex')
  }
  return digests
}

async function runScript(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', script), ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { code, stdout, stderr }
}

/**
 * The format the machine should pick, worked out apart from the code under test: a pg_dump
 * (HONGYAN_PG_BIN, else PATH) at least as new as the server → pg_dump's custom format.
 */
async function expectedFormat(): Promise<Manifest['format']> {
  const serverMajor = await withClient(kitchen.databaseUrl, async (client) => {
    const { rows } = await client.query<{ num: string }>(
      "select current_setting('server_version_num') as num",
    )
    return Math.floor(Number(rows[0]?.num) / 10000)
  })
  expect(serverMajor).toBeGreaterThanOrEqual(13)
  const candidates = [
    ...(process.env.HONGYAN_PG_BIN ? [path.join(process.env.HONGYAN_PG_BIN, 'pg_dump')] : []),
    'pg_dump',
  ]
  for (const candidate of candidates) {
    const output = await promisify(execFile)(candidate, ['--version']).then(
      ({ stdout }) => stdout,
      () => '',
    )
    const major = Number(/\)\s+(\d+)/.exec(output)?.[1] ?? 0)
    if (major >= serverMajor) return 'pg_dump-custom'
  }
  return 'hongyan-copy'
}

/** A copy of the archive with one member changed, packed again (so the gzip itself is sound). */
async function repackWith(
  change: (dir: string) => Promise<void>,
  { from = archive }: { from?: string } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(work, 'repack-'))
  await extractTar({ file: from, cwd: dir })
  await change(dir)
  const changed = path.join(work, `changed-${randomUUID().slice(0, 8)}.tar.gz`)
  await createTar({ gzip: true, cwd: dir, file: changed }, await readdir(dir))
  return changed
}

async function leftovers(parent: string): Promise<string[]> {
  return (await readdir(parent)).filter((name) => name.startsWith('.hongyan-restore-'))
}

describe('npm run backup', () => {
  it('writes one archive: manifest, database dump and media, each member checksummed', async () => {
    const result = await runScript('backup.ts', ['--out', archive], {
      DATABASE_URL: kitchen.databaseUrl,
      HONGYAN_MEDIA_DIR: kitchen.mediaDir,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /^backup \((pg_dump-custom|hongyan-copy)\): \d+ stories, \d+ media, \d+ users → /m,
    )
    // Nothing else: the staging folder and the temporary name are gone.
    expect((await readdir(work)).sort()).toEqual(['kitchen.tar.gz'])

    const members: string[] = []
    await listTar({ file: archive, onReadEntry: (entry) => void members.push(entry.path) })
    expect(members[0]).toBe('manifest.json')
    const dir = await mkdtemp(path.join(work, 'unpacked-'))
    await extractTar({ file: archive, cwd: dir })
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest

    expect(manifest.format).toBe(await expectedFormat())
    const { payload } = kitchen
    expect(manifest.counts).toEqual({
      stories: (await payload.count({ collection: collectionSlugs.stories })).totalDocs,
      media: (await payload.count({ collection: collectionSlugs.media })).totalDocs,
      users: (await payload.count({ collection: collectionSlugs.users })).totalDocs,
    })
    expect(manifest.counts.media).toBeGreaterThan(0)
    const { migrations } = await import('../../cms/migrations/index.ts')
    expect(manifest.migrations).toEqual(migrations.map((migration) => migration.name).sort())
    expect(manifest.hongyanVersion).toBe(
      (JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string })
        .version,
    )
    expect(manifest.database.name).toBe(new URL(kitchen.databaseUrl).pathname.slice(1))

    // The manifest lists every file of the archive but itself, with true sizes and digests.
    const unpacked = await fileDigests(dir)
    delete unpacked['manifest.json']
    expect(Object.fromEntries(manifest.files.map((file) => [file.path, file.sha256]))).toEqual(unpacked)
    for (const file of manifest.files) expect((await stat(path.join(dir, file.path))).size).toBe(file.bytes)

    // media/ is the media folder, file for file.
    const media = await fileDigests(kitchen.mediaDir)
    expect(Object.keys(media).length).toBeGreaterThan(manifest.counts.media)
    expect(await fileDigests(path.join(dir, 'media'))).toEqual(media)

    if (manifest.format === 'pg_dump-custom') {
      expect(manifest.dumpTool?.major).toBeGreaterThanOrEqual(manifest.database.serverMajor)
      expect((await readFile(path.join(dir, 'database.dump'))).subarray(0, 5).toString()).toBe('PGDMP')
    } else {
      const index = JSON.parse(await readFile(path.join(dir, 'database/tables.json'), 'utf8')) as {
        tables: { name: string; rows: number }[]
      }
      const digests = await tableDigests(kitchen.databaseUrl)
      expect(index.tables.map((table) => table.name)).toEqual(Object.keys(digests))
      for (const table of index.tables) expect(`${table.rows} rows`).toBe(digests[table.name]?.split(',')[0])
    }
  })

  it('writes COPY files when no pg_dump is to be found (the embedded Postgres has none)', async () => {
    // node and tsx are found by path: an empty PATH only hides pg_dump.
    const result = await runScript('backup.ts', ['--out', copyArchive], {
      DATABASE_URL: kitchen.databaseUrl,
      HONGYAN_MEDIA_DIR: kitchen.mediaDir,
      HONGYAN_PG_BIN: '',
      PATH: '',
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('no pg_dump')
    const dir = await mkdtemp(path.join(work, 'unpacked-'))
    await extractTar({ file: copyArchive, cwd: dir })
    const copyManifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest
    expect(copyManifest.format).toBe('hongyan-copy')
    expect(copyManifest.counts).toEqual(manifest.counts)
    expect(copyManifest.migrations).toEqual(manifest.migrations)
    expect(existsSync(path.join(dir, 'database.dump'))).toBe(false)
    const index = JSON.parse(await readFile(path.join(dir, 'database/tables.json'), 'utf8')) as {
      tables: { name: string; rows: number }[]
      sequences: { name: string }[]
    }
    const digests = await tableDigests(kitchen.databaseUrl)
    expect(index.tables.map((table) => table.name)).toEqual(Object.keys(digests))
    for (const table of index.tables) expect(`${table.rows} rows`).toBe(digests[table.name]?.split(',')[0])
    expect(index.sequences.map((sequence) => sequence.name)).toEqual(
      Object.keys(await sequenceValues(kitchen.databaseUrl)),
    )
  })
})

describe('npm run restore', () => {
  let restoredUrl: string
  let restoredMedia: string

  it('restores into an empty database: every table, sequence and media file identical', async () => {
    restoredUrl = await emptyDatabase()
    restoredMedia = path.join(work, 'restored', 'media')
    const result = await runScript('restore.ts', [archive, '--media', restoredMedia], {
      DATABASE_URL: restoredUrl,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`restored ${manifest.counts.stories} stories`)

    const original = await tableDigests(kitchen.databaseUrl)
    expect(Object.keys(original)).toEqual(
      expect.arrayContaining(['stories', '_stories_v', 'users', 'media', 'payload_migrations']),
    )
    expect(await tableDigests(restoredUrl)).toEqual(original)
    expect(await sequenceValues(restoredUrl)).toEqual(await sequenceValues(kitchen.databaseUrl))
    expect(await fileDigests(restoredMedia)).toEqual(await fileDigests(kitchen.mediaDir))
    expect(await leftovers(path.dirname(restoredMedia))).toEqual([])
  }, 120_000)

  it('gives Payload on the restored database the same stories, versions and logins', async () => {
    const [{ getPayload }, { postgresAdapter }, { closePayload }] = await Promise.all([
      import('payload'),
      import('@payloadcms/db-postgres'),
      import('../../scripts/lib/payload.ts'),
    ])
    // The kitchen's own config, on the restored database instead.
    const config = await kitchen.config
    const db = postgresAdapter({
      pool: { connectionString: restoredUrl },
      push: false,
      migrationDir: migrationsDir,
    })
    const restored = await getPayload({
      key: 'restored',
      // The adapter's declared `init` takes a Payload, the config's a BasePayload: the same object.
      config: { ...config, db: db as unknown as typeof config.db },
    })
    try {
      const { pool } = restored.db as unknown as { pool: pg.Pool }
      const { rows } = await pool.query<{ name: string }>('select current_database() as name')
      expect(rows[0]?.name).toBe(new URL(restoredUrl).pathname.slice(1))
      const published = { _status: { equals: 'published' } } as const
      const read = (payload: typeof restored) =>
        payload.find({
          collection: collectionSlugs.stories,
          where: published,
          sort: 'id',
          depth: 2,
          pagination: false,
        })
      const before = await read(kitchen.payload)
      expect(before.docs.length).toBeGreaterThanOrEqual(20)
      expect((await read(restored)).docs).toEqual(before.docs)
      const versions = (payload: typeof restored) =>
        payload.findVersions({ collection: collectionSlugs.stories, sort: 'id', depth: 0, pagination: false })
      expect((await versions(restored)).docs).toEqual((await versions(kitchen.payload)).docs)
      // The password hashes came along: the seeded admin signs in on the copy.
      const login = await restored.login({
        collection: collectionSlugs.users,
        data: { email: 'admin@hongyan.local', password: 'demo-password-1' },
      })
      expect(login.user?.role).toBe('admin')
    } finally {
      await closePayload(restored)
    }
  })

  it('restores the COPY format into an empty database just as identically', async () => {
    const target = await emptyDatabase()
    const mediaDir = path.join(work, 'restored-copy', 'media')
    const lines: string[] = []
    const result = await restoreBackup({
      archive: copyArchive,
      databaseUrl: target,
      mediaDir,
      log: (line) => lines.push(line),
    })
    expect(result.manifest.format).toBe('hongyan-copy')
    expect(lines).toContain(`database: applying ${manifest.migrations.length} migrations`)
    expect(await tableDigests(target)).toEqual(await tableDigests(kitchen.databaseUrl))
    expect(await sequenceValues(target)).toEqual(await sequenceValues(kitchen.databaseUrl))
    expect(await fileDigests(mediaDir)).toEqual(await fileDigests(kitchen.mediaDir))
  }, 120_000)

  it("refuses a COPY archive whose migrations are not this code's, and touches nothing", async () => {
    const older = await repackWith(
      async (dir) => {
        const file = path.join(dir, 'manifest.json')
        const changed = JSON.parse(await readFile(file, 'utf8')) as Manifest
        changed.migrations = changed.migrations.slice(0, -1)
        await writeFile(file, JSON.stringify(changed))
      },
      { from: copyArchive },
    )
    const target = await emptyDatabase()
    const mediaDir = path.join(work, 'older', 'media')
    const last = manifest.migrations.at(-1)
    await expect(restoreBackup({ archive: older, databaseUrl: target, mediaDir })).rejects.toThrow(
      `is not this code's (up to ${last}); not in the archive: ${last}: restore with the Hongyan version that made it`,
    )
    expect(await tableCount(target)).toBe(0)
    expect(existsSync(path.dirname(mediaDir))).toBe(false)
  })

  it('refuses an archive with one byte changed, and touches nothing', async () => {
    const tampered = await repackWith(async (dir) => {
      const [first] = manifest.files.filter((file) => file.path.startsWith('media/') && file.bytes > 100)
      if (!first) throw new Error('no media file to change')
      const file = path.join(dir, first.path)
      const bytes = await readFile(file)
      bytes[50] = (bytes[50] ?? 0) ^ 0xff
      await writeFile(file, bytes)
    })
    const target = await emptyDatabase()
    const mediaDir = path.join(work, 'tampered', 'media')
    await expect(restoreBackup({ archive: tampered, databaseUrl: target, mediaDir })).rejects.toThrow(
      /^the archive .* is damaged \(media\/.* does not match its checksum\): nothing was restored$/,
    )
    expect(await tableCount(target)).toBe(0)
    // Not even the folder above the media folder, which the restore made for its work.
    expect(existsSync(path.dirname(mediaDir))).toBe(false)
  })

  it('refuses a truncated archive, and touches nothing', async () => {
    const truncated = path.join(work, 'truncated.tar.gz')
    await writeFile(truncated, await readFile(archive))
    await truncate(truncated, Math.floor((await stat(archive)).size / 2))
    const target = await emptyDatabase()
    const mediaDir = path.join(work, 'truncated', 'media')
    await expect(restoreBackup({ archive: truncated, databaseUrl: target, mediaDir })).rejects.toThrow(
      /^the archive .* is damaged \(.+\): nothing was restored$/,
    )
    expect(await tableCount(target)).toBe(0)
    expect(existsSync(path.dirname(mediaDir))).toBe(false)
  })

  it('refuses an archive whose manifest misses a file', async () => {
    const extra = await repackWith(async (dir) => {
      await writeFile(path.join(dir, 'media', 'smuggled.txt'), 'not in the manifest')
    })
    const target = await emptyDatabase()
    const mediaDir = path.join(work, 'extra', 'media')
    await expect(restoreBackup({ archive: extra, databaseUrl: target, mediaDir })).rejects.toThrow(
      /media\/smuggled\.txt is not in the manifest/,
    )
    expect(await tableCount(target)).toBe(0)
    expect(existsSync(path.dirname(mediaDir))).toBe(false)
  })

  it('refuses a database that is not empty, and leaves it as it was', async () => {
    const before = await tableDigests(kitchen.databaseUrl)
    const mediaDir = path.join(work, 'into-kitchen', 'media')
    await expect(restoreBackup({ archive, databaseUrl: kitchen.databaseUrl, mediaDir })).rejects.toThrow(
      /^the database .* is not empty \(\d+ tables\): restore needs an empty database$/,
    )
    expect(await tableDigests(kitchen.databaseUrl)).toEqual(before)
    expect(existsSync(path.dirname(mediaDir))).toBe(false)
  })

  it('refuses a media folder that is not empty', async () => {
    const target = await emptyDatabase()
    const mediaDir = path.join(work, 'busy', 'media')
    await mkdir(mediaDir, { recursive: true })
    await writeFile(path.join(mediaDir, 'keep.jpg'), 'mine')
    await expect(restoreBackup({ archive, databaseUrl: target, mediaDir })).rejects.toThrow(
      /the media folder .* is not empty/,
    )
    expect(await readdir(mediaDir)).toEqual(['keep.jpg'])
    expect(await tableCount(target)).toBe(0)
  })

  it('leaves the database without tables when the restore fails part-way', async () => {
    // An empty database (no tables) holding a type the schema needs: its creation fails.
    const target = await emptyDatabase()
    await withClient(target, (client) => client.query(`create type "enum_users_role" as enum ('other')`))
    const mediaDir = path.join(work, 'clash', 'media')
    await expect(restoreBackup({ archive, databaseUrl: target, mediaDir })).rejects.toThrow(
      manifest.format === 'pg_dump-custom'
        ? /^pg_restore failed: could not execute query: ERROR: type "enum_users_role" already exists$/
        : /^the migrations failed on the target: \d+_\d+_initial: type "enum_users_role" already exists$/,
    )
    expect(await tableCount(target)).toBe(0)
    const types = await withClient(target, (client) =>
      client.query<{ name: string }>(
        `select typname as name from pg_type where typnamespace = 'public'::regnamespace and typtype = 'e'`,
      ),
    )
    expect(types.rows.map((row) => row.name)).toEqual(['enum_users_role'])
    expect(existsSync(path.dirname(mediaDir))).toBe(false)
  }, 120_000)

  it('says in one line that an archive is missing, exit code 1', async () => {
    const missing = path.join(work, 'missing.tar.gz')
    const result = await runScript('restore.ts', [missing], { DATABASE_URL: await emptyDatabase() })
    expect(result.code).toBe(1)
    expect(result.stderr).toBe(`hongyan: no archive at ${missing}\n`)
    expect(result.stdout).toBe('')
  })
})
