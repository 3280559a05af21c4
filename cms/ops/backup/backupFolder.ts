import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { sweepAbandoned } from '../../lib/files/sweepAbandoned.ts'

/**
 * The folder of backups (HONGYAN_BACKUP_DIR): complete archives named
 * `hongyan-<yyyyMMdd-HHmmss>.tar.gz` (local time), and hidden work in progress (a backup's
 * staging folder and temporary archive, a verification's scratch folder) that only a killed
 * process leaves behind. Files of other names are the operator's and never touched.
 */
export type ArchiveFile = { name: string; path: string; madeAt: Date; bytes: number }

export function archiveFileName({ now }: { now: Date }): string {
  const two = (value: number) => String(value).padStart(2, '0')
  const stamp =
    `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}` +
    `-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`
  return `hongyan-${stamp}.tar.gz`
}

/**
 * The complete archives in `dir`, newest first, dated by their names. A backup still being
 * written (or cut off by a kill) has a hidden temporary name and is not among them.
 */
export async function listArchives({ dir }: { dir: string }): Promise<ArchiveFile[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return []
    throw err
  })
  const archives: ArchiveFile[] = []
  for (const name of names) {
    const madeAt = archiveTime({ name })
    if (!madeAt) continue
    const found = await stat(path.join(dir, name)).catch(() => null)
    if (found?.isFile()) archives.push({ name, path: path.join(dir, name), madeAt, bytes: found.size })
  }
  return archives.sort((a, b) => b.madeAt.getTime() - a.madeAt.getTime() || b.name.localeCompare(a.name))
}

/**
 * Removes every archive of `dir` but the `keep` newest and `spare` (the newest one that passed
 * verification, kept however many failed after it). Returns the names removed.
 */
export async function pruneArchives({
  dir,
  keep,
  spare,
}: {
  dir: string
  keep: number
  spare?: string
}): Promise<string[]> {
  const removed: string[] = []
  for (const archive of (await listArchives({ dir })).slice(keep)) {
    if (archive.name === spare) continue
    await rm(archive.path, { force: true })
    removed.push(archive.name)
  }
  return removed
}

/** A verification's scratch folder in `dir`, named so that `sweepUnfinishedBackups` knows it. */
export const VERIFY_FOLDER_PREFIX = '.hongyan-verify-'

/**
 * Removes what killed backups and verifications left in `dir` (createBackup's
 * `.hongyan-backup-*` staging and `.<archive>.<hex>.partial`, a `.hongyan-verify-*` folder)
 * once a day old: younger work may be a backup still running, started by hand or elsewhere.
 */
export async function sweepUnfinishedBackups({ dir }: { dir: string }): Promise<string[]> {
  return sweepAbandoned({
    dir,
    workOf: (name) => (UNFINISHED.some((pattern) => pattern.test(name)) ? { tag: undefined } : null),
  })
}

const UNFINISHED = [/^\.hongyan-backup-/, /^\.hongyan-.+\.partial$/, /^\.hongyan-verify-/]

function archiveTime({ name }: { name: string }): Date | undefined {
  const match = /^hongyan-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.tar\.gz$/.exec(name)
  if (!match) return undefined
  const [year, month, day, hours, minutes, seconds] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return new Date(year, month - 1, day, hours, minutes, seconds)
}
