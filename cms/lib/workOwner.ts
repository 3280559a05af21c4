import { hostname } from 'node:os'

/**
 * Unfinished work on disk (a site build in progress, a column package being written) carries
 * the name of the process doing it, `<host>-<pid>`, so that whoever comes next can tell work
 * still going on from work a killed process left behind.
 */
export function ownerTag(): string {
  return `${thisHost()}-${process.pid}`
}

/** Work of another host, or with no owner in its name, is abandoned after this long. */
export const FOREIGN_WORK_ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000

/**
 * Whether the work tagged `tag` (as made by `ownerTag`) was abandoned: its process on this
 * host is gone, or (another host's, or untagged) it was last changed a day ago or more. Work
 * of this very process is never abandoned: the caller knows its own.
 */
export function isAbandoned({
  tag,
  modifiedAt,
  now = Date.now(),
}: {
  tag: string | undefined
  modifiedAt: number
  now?: number
}): boolean {
  const owner = tag?.match(/^([A-Za-z0-9]+)-(\d+)$/)
  if (!owner || owner[1] !== thisHost()) return now - modifiedAt >= FOREIGN_WORK_ABANDONED_AFTER_MS
  const pid = Number(owner[2])
  return pid !== process.pid && !isProcessRunning(pid)
}

function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function thisHost(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 40) || 'localhost'
  )
}
