import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { create as createTar } from 'tar'
import { connectClient } from '../../db/connectClient.ts'
import { linkTree } from '../../lib/files/linkTree.ts'
import { hashFiles } from '../../lib/manifest.ts'
import { type MediaFiles, mediaFiles } from '../../lib/mediaFiles.ts'
import { backupDir, projectRoot } from '../../paths.ts'
import { type BackupFormat, DUMP_FILE, MANIFEST_FILE, type Manifest, MEDIA_FOLDER } from './archive.ts'
import { archiveFileName } from './backupFolder.ts'
import { appliedMigrations, countRows, describeServer } from './catalog.ts'
import { writeCopies } from './copyFormat.ts'
import { findPgTool, runPgTool } from './pgTools.ts'
import { hashTables } from './tableHashes.ts'

/** `backups/hongyan-<yyyyMMdd-HHmmss>.tar.gz` (in HONGYAN_BACKUP_DIR), in local time. */
export function defaultArchivePath({ now = new Date() }: { now?: Date } = {}): string {
  return path.join(backupDir, archiveFileName({ now }))
}

/**
 * Writes one archive (see archive.ts) of the database at `databaseUrl` and the media library:
 * the media folder, or every object of the media bucket when HONGYAN_S3_BUCKET is set
 * (downloaded into the archive, each with its checksum in the manifest like any file).
 * `out` is the archive's path (a folder, existing or ending in `/`: a default name inside it)
 * and is never overwritten. The archive is written under a temporary name and renamed when
 * complete.
 */
export async function createBackup({
  databaseUrl,
  mediaDir,
  media = mediaFiles({ mediaDir }),
  out,
  log = () => {},
}: {
  databaseUrl: string
  mediaDir: string
  /** Where the media are: by default the bucket when HONGYAN_S3_BUCKET is set, else `mediaDir`. */
  media?: MediaFiles
  out: string
  log?: (line: string) => void
}): Promise<{ archive: string; manifest: Manifest }> {
  let archive = path.resolve(out)
  const isFolder = /[\\/]$/.test(out) || (existsSync(archive) && (await stat(archive)).isDirectory())
  if (isFolder) {
    archive = path.join(archive, archiveFileName({ now: new Date() }))
  }
  if (existsSync(archive)) throw new Error(`${archive} already exists: name another archive with --out`)
  await mkdir(path.dirname(archive), { recursive: true })
  const staging = await mkdtemp(path.join(path.dirname(archive), '.hongyan-backup-'))
  const partial = path.join(
    path.dirname(archive),
    `.${path.basename(archive)}.${randomBytes(4).toString('hex')}.partial`,
  )
  try {
    const described = await dumpDatabase({ databaseUrl, dir: staging, log })

    // Linked, not read in place: the archive holds exactly the files that were hashed.
    const mediaCopy = path.join(staging, MEDIA_FOLDER)
    const mediaCount =
      media.kind === 'folder' && existsSync(mediaDir)
        ? await linkTree({ from: mediaDir, to: mediaCopy })
        : await copyObjects({ media, to: mediaCopy })
    log(`media: ${mediaCount} files from ${media.where}`)

    const manifest: Manifest = {
      kind: 'hongyan-backup',
      manifestVersion: 1,
      createdAt: new Date().toISOString(),
      hongyanVersion: await hongyanVersion(),
      ...described,
      files: await hashFiles({ dir: staging }),
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

/** Every media object into the folder `to` (none from a folder that does not exist). */
async function copyObjects({ media, to }: { media: MediaFiles; to: string }): Promise<number> {
  await mkdir(to, { recursive: true })
  if (media.kind === 'folder') return 0
  let count = 0
  for (const { name } of await media.list()) {
    // An object removed since the listing (its media deleted meanwhile) is left out.
    if (await media.placeAt({ filename: name, target: path.join(to, name) })) count += 1
  }
  return count
}

type DatabasePart = Pick<Manifest, 'format' | 'dumpTool' | 'database' | 'migrations' | 'counts' | 'tables'>

/**
 * The database into `dir`, by pg_dump when one as new as the server is found, else as COPY
 * files; with what the manifest says of it, all read from one snapshot.
 */
async function dumpDatabase({
  databaseUrl,
  dir,
  log,
}: {
  databaseUrl: string
  dir: string
  log: (line: string) => void
}): Promise<DatabasePart> {
  const client = await connectClient({ url: databaseUrl })
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
          `--file=${path.join(dir, DUMP_FILE)}`,
        ],
      })
    } else {
      await writeCopies({ client, dir })
    }
    const described: DatabasePart = {
      format,
      ...(pgDump ? { dumpTool: { version: pgDump.version, major: pgDump.major } } : {}),
      database: server,
      migrations: await appliedMigrations({ client }),
      counts: {
        stories: await countRows({ client, table: 'stories' }),
        media: await countRows({ client, table: 'media' }),
        users: await countRows({ client, table: 'users' }),
      },
      tables: await hashTables({ client }),
    }
    await client.query('commit')
    return described
  } finally {
    await client.end()
  }
}

async function hongyanVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
    version?: string
  }
  return manifest.version ?? 'unknown'
}
