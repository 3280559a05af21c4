import { parseDuration } from '../../lib/duration.ts'
import { backupDir } from '../../paths.ts'

/** The worker's backup schedule: how often (undefined: off), into which folder, how many kept. */
export type BackupSettings = { everyMs: number | undefined; dir: string; keep: number }

export const DEFAULT_BACKUP_EVERY = '1d'
export const DEFAULT_BACKUP_KEEP = 7

/**
 * HONGYAN_BACKUP_EVERY (a duration such as `24h`, `30m`, `1d`, or `off`; default daily),
 * HONGYAN_BACKUP_DIR (default `backups/` in the project, beside `.data/`) and
 * HONGYAN_BACKUP_KEEP (default 7). Throws, saying what is wrong, on a value it cannot read.
 */
export function backupSettings(): BackupSettings {
  const everyMs = parseDuration({
    text: process.env.HONGYAN_BACKUP_EVERY || DEFAULT_BACKUP_EVERY,
    name: 'HONGYAN_BACKUP_EVERY',
  })
  const keepText = process.env.HONGYAN_BACKUP_KEEP || String(DEFAULT_BACKUP_KEEP)
  const keep = Number(keepText)
  if (!/^\d+$/.test(keepText.trim()) || keep < 1) {
    throw new Error(
      `HONGYAN_BACKUP_KEEP=${JSON.stringify(keepText)} is not a number of archives: write a whole number, 1 or more`,
    )
  }
  return { everyMs, dir: backupDir, keep }
}
