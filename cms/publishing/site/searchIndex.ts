import { randomUUID } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises'
import { setPriority } from 'node:os'
import path from 'node:path'
import * as pagefind from 'pagefind'
import { sweepAbandoned } from '../../lib/files/sweepAbandoned.ts'
import { defaultDistDir, liveBuild } from './buildFolders.ts'
import { SiteBuildError } from './siteBuildError.ts'
import {
  finishedNameOf,
  isInProgress,
  isUnfinishedName,
  unfinishedName,
  whileInProgress,
  workOf,
} from './workInProgress.ts'

/**
 * The search index lives beside the builds, in `<dist>/site-search/`: each index in a hidden
 * folder `.pagefind-<id>`, and `live`, a symlink to the one in use. Every build's `pagefind`
 * is a symlink to `live`, so a new index serves every build at once, and a build goes live
 * with the index there is, without waiting for a new one.
 */
const SEARCH_LINK = 'pagefind'
const SEARCH_DIR_PREFIX = '.pagefind-'
const searchPath = (distDir: string) => path.join(distDir, 'site-search')
const liveSearchPath = (distDir: string) => path.join(searchPath(distDir), 'live')

/** Gives a build its `pagefind` symlink to the live index. */
export async function linkSearchIndex({ distDir, buildDir }: { distDir: string; buildDir: string }) {
  await mkdir(searchPath(distDir), { recursive: true })
  if (!(await lstat(path.join(buildDir, SEARCH_LINK)).catch(() => null)))
    await symlink(path.relative(buildDir, liveSearchPath(distDir)), path.join(buildDir, SEARCH_LINK), 'dir')
}

/**
 * Indexes a build's story pages into a new hidden folder, then points `live` there in one
 * atomic rename. The index before it is kept (a reader mid-search keeps its files), older ones
 * are removed. An indexer killed mid-way leaves the last index serving and a hidden partial
 * folder the next indexer removes. Returns the pages indexed, or null when a newer build or
 * index was left to do it.
 */
export async function replaceSearchIndex({
  distDir,
  buildDir,
  isSuperseded,
}: {
  distDir: string
  buildDir: string
  isSuperseded?: () => Promise<boolean>
}): Promise<number | null> {
  if (await isSuperseded?.()) return null
  const live = liveSearchPath(distDir)
  const replaced = await readlink(live).catch(() => null)
  const building = path.join(
    searchPath(distDir),
    unfinishedName(`${SEARCH_DIR_PREFIX}${Date.now()}-${randomUUID().slice(0, 8)}`),
  )
  return whileInProgress(building, async () => {
    try {
      const pages = await indexForSearch({ buildDir, outputPath: building, isSuperseded })
      if (pages === null) return null
      const finished = finishedNameOf(path.basename(building))
      // An index begun after this one (in this process or another) is already live: it is newer.
      const current = await readlink(live).catch(() => null)
      if (current && indexStartedAt(current) > indexStartedAt(finished)) return null
      await rename(building, path.join(searchPath(distDir), finished))
      const next = `${live}.next-${randomUUID().slice(0, 8)}`
      await symlink(finished, next, 'dir')
      await rename(next, live)
      for (const old of await readdir(searchPath(distDir))) {
        const isOld =
          old.startsWith(SEARCH_DIR_PREFIX) && !isUnfinishedName(old) && old < finished && old !== replaced
        if (isOld) await rm(path.join(searchPath(distDir), old), { recursive: true, force: true })
      }
      return pages
    } finally {
      await rm(building, { recursive: true, force: true })
    }
  })
}

/**
 * Indexes the live build for search without holding up the caller (the worker's next site
 * build). A publish made meanwhile asks for one more run, which indexes the newest live build;
 * an index of a build no longer live still serves (it misses only the newest changes).
 */
export function indexForSearchInBackground({
  distDir = defaultDistDir,
  onIndexed,
  onError,
}: {
  distDir?: string
  onIndexed?: (result: { pages: number; durationMs: number }) => void
  onError?: (err: unknown) => void
} = {}): void {
  const running = indexers.get(distDir)
  if (running) {
    running.again = true
    return
  }
  const indexer = { again: true, done: Promise.resolve() }
  indexer.done = (async () => {
    while (indexer.again) {
      indexer.again = false
      const started = performance.now()
      try {
        const buildDir = await liveBuild({ distDir })
        if (!buildDir) return
        const pages = await replaceSearchIndex({ distDir, buildDir })
        if (pages !== null) onIndexed?.({ pages, durationMs: Math.round(performance.now() - started) })
      } catch (err) {
        onError?.(err)
      }
    }
  })().finally(() => indexers.delete(distDir))
  indexers.set(distDir, indexer)
}

/** Resolves when the background indexer of `distDir` (if any) has finished. */
export const searchIndexed = ({ distDir = defaultDistDir }: { distDir?: string } = {}) =>
  indexers.get(distDir)?.done ?? Promise.resolve()

/** Stops Pagefind's indexing service so a one-off build's process can exit. */
export const stopSearchIndexer = () => pagefind.close()

/** Removes the partial indexes and the `live` swaps that indexers killed mid-way left behind. */
export async function removeAbandonedIndexes({ distDir }: { distDir: string }) {
  await sweepAbandoned({
    dir: searchPath(distDir),
    workOf: (name) => (isUnfinishedName(name) || name.startsWith('live.next-') ? workOf(name) : null),
    isInProgress,
  })
}

/** One indexer per dist folder in this process; a request while it runs makes it index once more when done. */
const indexers = new Map<string, { again: boolean; done: Promise<void> }>()

/** When an index (`.pagefind-<start ms>-<random>`) was begun. */
const indexStartedAt = (name: string) => Number(name.slice(SEARCH_DIR_PREFIX.length).split('-')[0]) || 0

async function indexForSearch({
  buildDir,
  outputPath,
  isSuperseded,
}: {
  buildDir: string
  outputPath: string
  isSuperseded?: () => Promise<boolean>
}): Promise<number | null> {
  const { index, errors } = await pagefind.createIndex({})
  if (!index) throw new SiteBuildError(`Pagefind could not start: ${errors.join('; ')}`)
  await lowerIndexerPriority()
  try {
    // Only story pages are searchable (their article carries data-pagefind-body); lists,
    // tags and archives would cost indexing time and find nothing more.
    const added = await index.addDirectory({ path: buildDir, glob: 'stories/**/*.html' })
    if (added.errors.length) throw new SiteBuildError(`Pagefind: ${added.errors.join('; ')}`)
    // Writing the index is most of the work: a newer build waiting by now will do it instead.
    if (await isSuperseded?.()) return null
    const written = await index.writeFiles({ outputPath })
    if (written.errors.length) throw new SiteBuildError(`Pagefind: ${written.errors.join('; ')}`)
    return added.page_count
  } finally {
    await index.deleteIndex()
  }
}

const INDEXER_NICENESS = 15

/**
 * Runs Pagefind's indexing service (a child process) at a lower CPU priority, every thread of
 * it: indexing the archive takes minutes at 10,000 stories, and a publish's build and the
 * readers come first. Linux only (`/proc`); elsewhere it runs as it is.
 */
async function lowerIndexerPriority() {
  const children = await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').catch(() => '')
  for (const pid of children.split(' ').filter(Boolean).map(Number)) {
    const name = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')
    if (!name.startsWith('pagefind')) continue
    for (const thread of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
      try {
        setPriority(Number(thread), INDEXER_NICENESS)
      } catch {
        // Gone, or not ours to change: it keeps its priority.
      }
    }
  }
}
