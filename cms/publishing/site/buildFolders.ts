import { randomUUID } from 'node:crypto'
import { readdir, readlink, rename, rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { sweepAbandoned } from '../../lib/files/sweepAbandoned.ts'
import { projectRoot } from '../../paths.ts'
import { isInProgress, unfinishedName, whileInProgress, workOf } from './workInProgress.ts'

export const defaultDistDir = path.resolve(projectRoot, process.env.HONGYAN_DIST_DIR ?? 'dist')

/** The live site is `<dist>/site`, a symlink to one finished build in `<dist>/site-builds/`. */
export const liveSitePath = (distDir: string) => path.join(distDir, 'site')
const buildsPath = (distDir: string) => path.join(distDir, 'site-builds')

/**
 * A finished build is `<start time in ms>-<random>`. Until it is complete it is
 * `<that>.building-<owner>` (see workInProgress.ts).
 */
const FINISHED_BUILD = /^\d+-[0-9a-f]{8}$/

/** The folder a build started at `startedAt` will have once finished, and the one it is built in until then. */
export function newBuildFolders({ distDir, startedAt }: { distDir: string; startedAt: Date }) {
  const buildDir = path.join(buildsPath(distDir), `${startedAt.getTime()}-${randomUUID().slice(0, 8)}`)
  return { buildDir, workDir: unfinishedName(buildDir) }
}

/** The build the live site serves, or null before the first build. */
export async function liveBuild({
  distDir = defaultDistDir,
}: {
  distDir?: string
} = {}): Promise<string | null> {
  try {
    return path.resolve(distDir, await readlink(liveSitePath(distDir)))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Points the live site at `buildDir` in one atomic rename of a new symlink over the old. */
export async function swapLive({ distDir, buildDir }: { distDir: string; buildDir: string }) {
  const next = unfinishedName(`${liveSitePath(distDir)}.next-${randomUUID().slice(0, 8)}`)
  await whileInProgress(next, async () => {
    await symlink(path.relative(distDir, buildDir), next, 'dir')
    await rename(next, liveSitePath(distDir))
  })
}

/** The names of the finished builds in `distDir`. */
export async function finishedBuilds({ distDir }: { distDir: string }): Promise<Set<string>> {
  return new Set((await readdir(buildsPath(distDir))).filter((name) => FINISHED_BUILD.test(name)))
}

/**
 * Removes finished builds older than the live one, except the build that was live before it:
 * a build still running (in this process or another) and a newer build are left alone.
 */
export async function pruneOldBuilds({
  distDir,
  live,
  previous,
}: {
  distDir: string
  live: string
  previous: string | null
}) {
  for (const name of await finishedBuilds({ distDir })) {
    const dir = path.join(buildsPath(distDir), name)
    if (dir < live && dir !== previous) await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Removes what builds killed mid-way left behind: their half-built folders in
 * `<dist>/site-builds/`, Astro's scratch folders, a live-symlink swap cut short. Work of a
 * build still running, here or in another process, is left alone.
 */
export async function removeAbandonedBuilds({ distDir }: { distDir: string }) {
  await sweepAbandoned({
    dir: buildsPath(distDir),
    workOf: (name) => (FINISHED_BUILD.test(name) ? null : workOf(name)),
    isInProgress,
  })
  const swapPrefix = `${path.basename(liveSitePath(distDir))}.next-`
  await sweepAbandoned({
    dir: distDir,
    workOf: (name) => (name.startsWith(swapPrefix) ? workOf(name) : null),
    isInProgress,
  })
}
