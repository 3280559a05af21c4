import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type pg from 'pg'
import { connectClient } from '../../db/connectClient.ts'
import { redact } from '../../db/ensureDatabase.ts'
import { migrateDatabase, migrationNames } from '../../db/migrations.ts'
import type { MediaFiles } from '../../lib/mediaFiles.ts'
import { COPY_INDEX_FILE, DUMP_FILE, type Manifest, MEDIA_FOLDER } from './archive.ts'
import { countTables, dropCreatedObjects, schemaObjects } from './catalog.ts'
import { type CopyIndex, loadCopies } from './copyFormat.ts'
import { findPgTool, runPgTool } from './pgTools.ts'
import { refuseFilledBucket, uploadMedia } from './restoreMediaBucket.ts'
import { unpackAndVerify } from './unpackArchive.ts'

/**
 * Restores an archive of `createBackup` into the empty database at `databaseUrl` and the
 * empty (or absent) folder `mediaDir`. Nothing is touched until every member matches the
 * manifest's checksums and both targets are found empty; the media are unpacked beside
 * `mediaDir` and renamed into place once the database is in. With `bucket` (the media bucket,
 * which must hold no media object) the media go there instead, each object checked against
 * the manifest's checksum once uploaded.
 */
export async function restoreBackup({
  archive,
  databaseUrl,
  mediaDir,
  bucket,
  log = () => {},
}: {
  archive: string
  databaseUrl: string
  /** The media folder; with `bucket`, only where the archive is unpacked beside. */
  mediaDir: string
  bucket?: MediaFiles
  log?: (line: string) => void
}): Promise<{ manifest: Manifest }> {
  const file = path.resolve(archive)
  if (!existsSync(file) || !(await stat(file)).isFile()) throw new Error(`no archive at ${file}`)
  const target = path.resolve(mediaDir)
  if (bucket) await refuseFilledBucket({ bucket })
  else await refuseFilledFolder({ dir: target })
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

    const client = await connectClient({ url: databaseUrl })
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

    if (bucket) {
      const count = await uploadMedia({ bucket, manifest, from: path.join(work, MEDIA_FOLDER) })
      log(`media → ${bucket.where}: ${count} objects, checksums match`)
    } else {
      await refuseFilledFolder({ dir: target })
      if (existsSync(target)) await rmdir(target)
      await rename(path.join(work, MEDIA_FOLDER), target)
      log(`media → ${target}`)
    }
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
  const ours = await migrationNames()
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
    await migrateDatabase({ databaseUrl })
    await loadCopies({ index, dir: work, client })
    log(`database: ${index.tables.length} tables, ${index.sequences.length} sequences loaded`)
  } catch (err) {
    // The cleanup's own failure must not hide why the restore failed, nor be hidden itself:
    // a database left half-restored is said in the error, with what to do about it.
    await client.query('rollback').catch(() => undefined)
    const cleanup = await dropCreatedObjects({ client, before }).then(
      () => undefined,
      (cleanupError: unknown) => cleanupError,
    )
    if (cleanup === undefined) throw err
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}; and the objects the restore created could not be ` +
        `dropped (${cleanup instanceof Error ? cleanup.message : String(cleanup)}): drop and re-create the target database before trying again`,
      { cause: err },
    )
  }
}
