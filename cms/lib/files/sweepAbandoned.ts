import { lstat, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { isAbandoned, ownerTag } from '../workOwner.ts'

/** One piece of unfinished work found in a folder, read from its name. */
export type FoundWork = {
  /** The `ownerTag` of the process that started it; undefined when its name carries none. */
  tag: string | undefined
}

/**
 * Clears what processes killed mid-way left in `dir`: every entry `workOf` recognises as work
 * (a hidden half-written folder, a symlink swap cut short) whose owner is gone is settled,
 * by default removed. Work in progress (`isInProgress`, this process's own) and work of a
 * process still running, here or on another host, is left alone. Work tagged with this
 * process's own name but not in progress was left by an earlier process with the same pid.
 * An absent `dir` holds no work. Returns the paths settled.
 */
export async function sweepAbandoned<Work extends FoundWork>({
  dir,
  workOf,
  isInProgress = () => false,
  settle = removeWork,
}: {
  dir: string
  /** The work an entry's name describes, or null when the entry is not work. */
  workOf: (name: string) => Work | null
  /** Whether the entry at this path is work this process is doing now. */
  isInProgress?: (entryPath: string) => boolean
  /** What becomes of abandoned work (removal, unless a caller can put it back). */
  settle?: (found: { path: string; work: Work }) => Promise<void>
}): Promise<string[]> {
  const settled: string[] = []
  for (const name of await readNames(dir)) {
    const work = workOf(name)
    const entryPath = path.join(dir, name)
    if (!work || isInProgress(entryPath)) continue
    // lstat: a swap cut short is a symlink whose own age counts, wherever it points.
    const modifiedAt = (await lstat(entryPath).catch(() => null))?.mtimeMs
    // Gone meanwhile: another sweeper, or its owner finishing, took it.
    if (modifiedAt === undefined) continue
    if (work.tag !== ownerTag() && !isAbandoned({ tag: work.tag, modifiedAt })) continue
    await settle({ path: entryPath, work })
    settled.push(entryPath)
  }
  return settled
}

async function removeWork({ path: entryPath }: { path: string }): Promise<void> {
  await rm(entryPath, { recursive: true, force: true })
}

async function readNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}
