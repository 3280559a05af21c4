import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { connectClient } from '../../db/connectClient.ts'
import { dropDatabase, ensureDatabase } from '../../db/ensureDatabase.ts'
import type { Manifest } from './archive.ts'
import { VERIFY_FOLDER_PREFIX } from './backupFolder.ts'
import { countRows } from './catalog.ts'
import { restoreBackup } from './restoreBackup.ts'
import { compareTableHashes, hashTables } from './tableHashes.ts'

export type Verification =
  | {
      isVerified: true
      manifest: Manifest
      tables: number
      rows: number
      /** what was compared, when less than every table's rows */
      note?: string
      cleanupError?: string
    }
  | { isVerified: false; reason: string; cleanupError?: string }

/**
 * Whether `archive` restores to the database it was taken from: it is restored (checksums
 * first, as `npm run restore` does) into a scratch database made for it on the same server as
 * `databaseUrl`, with its media in a hidden folder under `scratchDir`; then every table's row
 * count and row hash is compared with the ones the backup recorded in its own snapshot. The
 * scratch database and folder are removed afterwards; if that fails, `cleanupError` says so
 * (and `dropScratchDatabases` retries). Any failure is returned as the reason, never thrown.
 */
export async function verifyBackup({
  archive,
  databaseUrl,
  scratchDir,
  log = () => {},
}: {
  archive: string
  databaseUrl: string
  scratchDir: string
  log?: (line: string) => void
}): Promise<Verification> {
  const scratchUrl = new URL(databaseUrl)
  scratchUrl.pathname = `/${scratchPrefix({ databaseUrl })}${randomBytes(4).toString('hex')}`
  let work: string | undefined
  let verification: Verification
  try {
    await mkdir(scratchDir, { recursive: true })
    work = await mkdtemp(path.join(scratchDir, VERIFY_FOLDER_PREFIX))
    await ensureDatabase({ url: scratchUrl.toString() })
    verification = await restoreAndCompare({
      archive,
      scratchUrl: scratchUrl.toString(),
      mediaDir: path.join(work, 'media'),
      log,
    })
  } catch (err) {
    verification = { isVerified: false, reason: messageOf(err) }
  }
  const cleanup = await Promise.allSettled([
    dropDatabase({ url: scratchUrl.toString() }),
    work ? rm(work, { recursive: true, force: true, maxRetries: 5 }) : Promise.resolve(),
  ])
  const cleanupErrors = cleanup.flatMap((result) =>
    result.status === 'rejected' ? [messageOf(result.reason)] : [],
  )
  return cleanupErrors.length > 0 ? { ...verification, cleanupError: cleanupErrors.join('; ') } : verification
}

/**
 * Drops the scratch databases of verifications a kill cut short (their names start with this
 * database's scratch prefix). Only while no verification of this database runs: the scheduler
 * calls it holding its lock. Returns the names dropped.
 */
export async function dropScratchDatabases({ databaseUrl }: { databaseUrl: string }): Promise<string[]> {
  const prefix = scratchPrefix({ databaseUrl })
  const client = await connectClient({ url: databaseUrl })
  let names: string[]
  try {
    const { rows } = await client.query<{ name: string }>(
      'select datname as name from pg_database where left(datname, length($1)) = $1',
      [prefix],
    )
    names = rows.map((row) => row.name)
  } finally {
    await client.end()
  }
  for (const name of names) {
    const url = new URL(databaseUrl)
    url.pathname = `/${name}`
    await dropDatabase({ url: url.toString() })
  }
  return names
}

async function restoreAndCompare({
  archive,
  scratchUrl,
  mediaDir,
  log,
}: {
  archive: string
  scratchUrl: string
  mediaDir: string
  log: (line: string) => void
}): Promise<Verification> {
  const { manifest } = await restoreBackup({ archive, databaseUrl: scratchUrl, mediaDir, log })
  if (!manifest.tables) return compareCounts({ manifest, scratchUrl })
  const client = await connectClient({ url: scratchUrl })
  let restored: Awaited<ReturnType<typeof hashTables>>
  try {
    await client.query('begin isolation level repeatable read read only')
    restored = await hashTables({ client })
    await client.query('commit')
  } finally {
    await client.end()
  }
  const differences = compareTableHashes({ expected: manifest.tables, actual: restored })
  if (differences.length > 0) {
    const shown = differences.slice(0, 5).join('; ')
    const more = differences.length > 5 ? ` (and ${differences.length - 5} more)` : ''
    return { isVerified: false, reason: `the restored copy differs from the backup: ${shown}${more}` }
  }
  const rows = restored.reduce((sum, table) => sum + table.rows, 0)
  log(`verified: ${restored.length} tables, ${rows} rows identical`)
  return { isVerified: true, manifest, tables: restored.length, rows }
}

/** An archive made before row hashes were recorded: the counts its manifest has are compared. */
async function compareCounts({
  manifest,
  scratchUrl,
}: {
  manifest: Manifest
  scratchUrl: string
}): Promise<Verification> {
  const client = await connectClient({ url: scratchUrl })
  const counts: Record<string, number> = {}
  try {
    for (const table of Object.keys(manifest.counts)) counts[table] = await countRows({ client, table })
  } finally {
    await client.end()
  }
  const differences = Object.entries(manifest.counts).flatMap(([table, backedUp]) =>
    counts[table] === backedUp ? [] : [`${table}: ${counts[table]} rows restored, ${backedUp} backed up`],
  )
  if (differences.length > 0) {
    return {
      isVerified: false,
      reason: `the restored copy differs from the backup: ${differences.join('; ')}`,
    }
  }
  const rows = Object.values(counts).reduce((sum, count) => sum + count, 0)
  return {
    isVerified: true,
    manifest,
    tables: Object.keys(counts).length,
    rows,
    note: 'made before row hashes were recorded: restored, and its stories, media and users counted',
  }
}

/** `<database>_backup_check_`: within Postgres' 63-byte names with 8 random hex digits after it. */
function scratchPrefix({ databaseUrl }: { databaseUrl: string }): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1))
  return `${name.slice(0, 40)}_backup_check_`
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
