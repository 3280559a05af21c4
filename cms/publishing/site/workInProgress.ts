import { ownerTag } from '../../lib/workOwner.ts'

/**
 * The site build's unfinished work on disk (a build folder, a search index, a swap of a live
 * symlink) is named `<its finished name>.building-<owner>` (see `ownerTag`): work a killed
 * process left half-done is never taken for finished work, and the next build can tell it
 * from work still going on, here or in another process.
 */
const BUILDING = '.building-'

export const unfinishedName = (finished: string) => `${finished}${BUILDING}${ownerTag()}`

export const isUnfinishedName = (name: string) => name.includes(BUILDING)

/** The name an unfinished work will have once finished. */
export const finishedNameOf = (name: string) => name.slice(0, name.indexOf(BUILDING))

/** The work a name describes, for `sweepAbandoned`: the owner its name carries, if any. */
export function workOf(name: string): { tag: string | undefined } {
  const at = name.lastIndexOf(BUILDING)
  return { tag: at >= 0 ? name.slice(at + BUILDING.length) : undefined }
}

/** Paths of this process's work in progress (it may build into several dist folders at once). */
const inProgress = new Set<string>()

export const isInProgress = (workPath: string) => inProgress.has(workPath)

/** Runs `work` with `workPath` marked as this process's: no sweep of abandoned work removes it meanwhile. */
export async function whileInProgress<T>(workPath: string, work: () => Promise<T>): Promise<T> {
  inProgress.add(workPath)
  try {
    return await work()
  } finally {
    inProgress.delete(workPath)
  }
}
