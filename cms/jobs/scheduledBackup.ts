import path from 'node:path'
import type { Payload } from 'payload'
import { withAdvisoryLock } from '../db/advisoryLock.ts'
import { formatDuration } from '../lib/duration.ts'
import { ownerTag } from '../lib/workOwner.ts'
import {
  type ArchiveFile,
  archiveFileName,
  listArchives,
  pruneArchives,
  sweepUnfinishedBackups,
} from '../ops/backup/backupFolder.ts'
import { type BackupSettings, backupSettings } from '../ops/backup/backupSettings.ts'
import { createBackup } from '../ops/backup/createBackup.ts'
import { dropScratchDatabases, verifyBackup } from '../ops/backup/verifyBackup.ts'
import { mediaDir as defaultMediaDir } from '../paths.ts'
import type { BackupRun } from '../payload-types.ts'
import { serverSettings } from '../settings.ts'
import { collectionSlugs } from '../slugs.ts'

/** One scheduled backup at a time, whichever of the workers on the database takes it. */
export const SCHEDULED_BACKUP_LOCK = 'hongyan:scheduled-backup'
/** A backup that could not be written is tried again this soon (or at the interval, if sooner). */
export const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000
/** How often a worker looks whether a backup is due (or the interval, if shorter). */
const CHECK_EVERY_MS = 60 * 1000

export type ScheduledBackupOutcome =
  | { step: 'busy' }
  | { step: 'waiting'; dueAt: Date }
  | { step: 'checked'; archive: string; status: BackupRun['status']; isNew: boolean; pruned: string[] }

/**
 * The worker's backup schedule: every minute (or `everyMs`, if shorter) until `signal` aborts,
 * `runScheduledBackup`. Off when HONGYAN_BACKUP_EVERY is `off`, and, said in the log, when a
 * setting cannot be read (the admin's backup banner shows that error too).
 */
export async function runBackupSchedule({
  payload,
  signal,
  databaseUrl = serverSettings().databaseUrl,
  mediaDir = defaultMediaDir,
}: {
  payload: Payload
  signal: AbortSignal
  databaseUrl?: string
  mediaDir?: string
}): Promise<void> {
  let settings: BackupSettings
  try {
    settings = backupSettings()
  } catch (err) {
    payload.logger.error({ msg: '备份设置有误，定时备份未启动 / scheduled backups are not running', err })
    return
  }
  const { everyMs, dir, keep } = settings
  if (everyMs === undefined) {
    payload.logger.info({ msg: 'scheduled backups are off (HONGYAN_BACKUP_EVERY=off)' })
    return
  }
  payload.logger.info({
    msg: `backups every ${formatDuration({ ms: everyMs })} into ${dir}, the last ${keep} kept, the newest verified`,
  })
  while (!signal.aborted) {
    await runScheduledBackup({ payload, settings: { ...settings, everyMs }, databaseUrl, mediaDir }).catch(
      (err: unknown) => {
        payload.logger.error({ msg: 'the scheduled backup step failed; trying again at the next check', err })
      },
    )
    await pause({ ms: Math.min(everyMs, CHECK_EVERY_MS), signal })
  }
}

/**
 * One check of the schedule, by the one worker that holds the backup lock (any other returns
 * `busy` at once). A backup is due `everyMs` after the newest complete archive in the folder
 * or the newest backup run recorded in the database, whichever is later: what a restarted or
 * another worker sees too. The newest archive that has no run recorded yet (just written, or
 * left by a worker killed before it checked it, or made by `npm run backup`) is verified and
 * its run recorded: verified, or failed, the alarm editors see in the admin. Then all but the
 * last `keep` archives are removed, sparing the newest verified one. Leftovers of killed
 * backups and verifications are cleared first.
 */
export async function runScheduledBackup({
  payload,
  settings,
  databaseUrl,
  mediaDir,
  now = new Date(),
}: {
  payload: Payload
  settings: BackupSettings & { everyMs: number }
  databaseUrl: string
  mediaDir: string
  now?: Date
}): Promise<ScheduledBackupOutcome> {
  const locked = await withAdvisoryLock({
    payload,
    key: SCHEDULED_BACKUP_LOCK,
    wait: false,
    work: () => backUpIfDue({ payload, settings, databaseUrl, mediaDir, now }),
  })
  return locked.isLocked ? locked.value : { step: 'busy' }
}

async function backUpIfDue({
  payload,
  settings: { dir, keep, everyMs },
  databaseUrl,
  mediaDir,
  now,
}: {
  payload: Payload
  settings: BackupSettings & { everyMs: number }
  databaseUrl: string
  mediaDir: string
  now: Date
}): Promise<ScheduledBackupOutcome> {
  await sweepUnfinishedBackups({ dir })
  const dropped = await dropScratchDatabases({ databaseUrl })
  if (dropped.length > 0) {
    payload.logger.warn({
      msg: `dropped the scratch databases of interrupted verifications: ${dropped.join(', ')}`,
    })
  }
  let archives = await listArchives({ dir })
  const [lastRun] = await findRuns({ payload })
  const dueAt = nextDue({ newestArchive: archives[0], lastRun, everyMs })
  let isNew = false
  if (dueAt <= now) {
    const archive = archiveFileName({ now })
    try {
      await createBackup({ databaseUrl, mediaDir, out: path.join(dir, archive) })
      isNew = true
    } catch (err) {
      payload.logger.error({ msg: `备份失败 / the scheduled backup ${archive} could not be written`, err })
      await recordRun({
        payload,
        data: { archive, madeAt: now.toISOString(), status: 'not-written', reason: messageOf(err) },
      })
      return { step: 'checked', archive, status: 'not-written', isNew, pruned: [] }
    }
    archives = await listArchives({ dir })
  }
  const newest = archives[0]
  if (!newest || (await findRuns({ payload, archive: newest.name })).length > 0) {
    return { step: 'waiting', dueAt: nextDue({ newestArchive: newest, lastRun, everyMs }) }
  }
  const status = await verifyAndRecord({ payload, archive: newest, databaseUrl, dir, now })
  const [spare] = await findRuns({ payload, status: 'verified', among: archives })
  const pruned = await pruneArchives({ dir, keep, spare: spare?.archive })
  if (pruned.length > 0) payload.logger.info({ msg: `old backups removed: ${pruned.join(', ')}` })
  return { step: 'checked', archive: newest.name, status, isNew, pruned }
}

async function verifyAndRecord({
  payload,
  archive,
  databaseUrl,
  dir,
  now,
}: {
  payload: Payload
  archive: ArchiveFile
  databaseUrl: string
  dir: string
  now: Date
}): Promise<BackupRun['status']> {
  const verification = await verifyBackup({ archive: archive.path, databaseUrl, scratchDir: dir })
  if (verification.cleanupError) {
    payload.logger.error({
      msg: `the scratch copy of backup ${archive.name} could not be removed (the next check tries again): ${verification.cleanupError}`,
    })
  }
  const common = { archive: archive.name, madeAt: archive.madeAt.toISOString(), checkedAt: now.toISOString() }
  if (!verification.isVerified) {
    payload.logger.error({
      msg: `备份验证失败 / backup verification failed: ${archive.path}: ${verification.reason}`,
    })
    await recordRun({
      payload,
      data: { ...common, bytes: archive.bytes, status: 'failed', reason: verification.reason },
    })
    return 'failed'
  }
  const { manifest, tables, rows, note } = verification
  payload.logger.info({
    msg: `备份已验证 / backup verified: ${archive.name} (${archive.bytes} bytes, ${tables} tables, ${rows} rows)`,
  })
  await recordRun({
    payload,
    data: {
      ...common,
      bytes: archive.bytes,
      status: 'verified',
      format: manifest.format,
      tables,
      rows,
      note,
    },
  })
  return 'verified'
}

type RunData = Omit<BackupRun, 'id' | 'createdAt' | 'updatedAt' | 'worker'>

async function recordRun({ payload, data }: { payload: Payload; data: RunData }): Promise<void> {
  await payload.create({ collection: collectionSlugs.backupRuns, data: { ...data, worker: ownerTag() } })
}

/** Recorded runs, newest first: all, of one archive, or of one status among some archives. */
async function findRuns({
  payload,
  archive,
  status,
  among,
}: {
  payload: Payload
  archive?: string
  status?: BackupRun['status']
  among?: ArchiveFile[]
}): Promise<BackupRun[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.backupRuns,
    where: {
      and: [
        ...(archive ? [{ archive: { equals: archive } }] : []),
        ...(status ? [{ status: { equals: status } }] : []),
        ...(among ? [{ archive: { in: among.map((found) => found.name) } }] : []),
      ],
    },
    sort: '-madeAt',
    limit: 1,
    depth: 0,
  })
  return docs
}

/** When the next backup is due: `everyMs` after the last one, and soon after one that failed. */
function nextDue({
  newestArchive,
  lastRun,
  everyMs,
}: {
  newestArchive: ArchiveFile | undefined
  lastRun: BackupRun | undefined
  everyMs: number
}): Date {
  const fromArchive = newestArchive ? newestArchive.madeAt.getTime() + everyMs : 0
  const wait = lastRun?.status === 'not-written' ? Math.min(everyMs, RETRY_AFTER_FAILURE_MS) : everyMs
  const fromRun = lastRun ? new Date(lastRun.madeAt).getTime() + wait : 0
  return new Date(Math.max(fromArchive, fromRun))
}

/** Waits `ms`, or less if `signal` aborts first. */
function pause({ ms, signal }: { ms: number; signal: AbortSignal }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
