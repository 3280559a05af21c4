import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import * as pagefind from 'pagefind'
import type { Payload } from 'payload'
import { isAbandoned, ownerTag } from '../lib/workOwner.ts'
import { mediaDir as defaultMediaDir, projectRoot } from '../paths.ts'
import { startPlateServer } from './plateServer.ts'
import { siteOrigin } from './siteOrigin.ts'

export const siteDir = path.join(projectRoot, 'site')
export const defaultDistDir = path.resolve(projectRoot, process.env.HONGYAN_DIST_DIR ?? 'dist')

/** The live site is `<dist>/site`, a symlink to one finished build in `<dist>/site-builds/`. */
export const liveSitePath = (distDir: string) => path.join(distDir, 'site')
const buildsPath = (distDir: string) => path.join(distDir, 'site-builds')
/** Astro's scratch folders, one per build: inside the project so its bundles resolve node_modules. */
const scratchRoot = () => path.join(projectRoot, 'node_modules', '.cache', 'hongyan-site-build')

/**
 * A finished build is `<start time in ms>-<random>`. Until it is complete it is
 * `<that>.building-<owner>` (see `ownerTag`), so a build a killed process left half-done is
 * never taken for a finished one, and the next build can tell it from one still running.
 */
const FINISHED_BUILD = /^\d+-[0-9a-f]{8}$/
const BUILDING = '.building-'

/** Names of this process's work in progress (it may build into several dist folders at once). */
const workInProgress = new Set<string>()

export interface SiteBuildResult {
  /** The finished build the live symlink now points at. */
  buildDir: string
  stories: number
  mediaFiles: number
  /** Story pages in the new search index; null when a newer build was left to index them. */
  pagesIndexed: number | null
  /** Story pages Astro copied from the last build instead of rendering (incremental build). */
  pagesReused: number
  startedAt: Date
  /** Milliseconds from the start until the new pages were live (the search index follows). */
  pagesLiveMs: number
  durationMs: number
  /**
   * Milliseconds spent in each step, in order: astro (plate included), media, swap (the new
   * pages are live from here, with the previous search index), search (the new index swapped in).
   */
  phases: Record<'astro' | 'media' | 'search' | 'swap', number>
}

export class SiteBuildError extends Error {
  readonly output: string
  constructor({ message, output, cause }: { message: string; output?: string; cause?: unknown }) {
    super(message, { cause })
    this.name = 'SiteBuildError'
    this.output = output ?? ''
  }
}

export interface BuildOptions {
  payload: Payload
  distDir?: string
  mediaDir?: string
  siteUrl?: string
  /**
   * Asked before the search index is built and again before it is written: true when a newer
   * build is about to run. This build then leaves the index to it (its pages stay live with
   * the carried index).
   */
  isSuperseded?: () => Promise<boolean>
}

/**
 * Builds the public website from what the public may read, then swaps it in at once:
 * Astro renders into a fresh folder (reusing unchanged story pages from its incremental
 * cache), the media the stories show and the live search index are linked in, and only then
 * does `<dist>/site` point at it (one atomic rename). Pagefind then indexes the new pages and
 * the build's `pagefind` symlink is switched to the new index. A failed build removes its
 * folder and leaves the last good site serving; a build whose process was killed leaves its
 * folder to the next build, which removes it. The build before the new one is kept (a reader
 * mid-page keeps its files), older ones are removed.
 */
export async function buildSite({
  payload,
  distDir = defaultDistDir,
  mediaDir = defaultMediaDir,
  siteUrl = siteOrigin(),
  isSuperseded,
}: BuildOptions): Promise<SiteBuildResult> {
  const startedAt = new Date()
  const buildDir = path.join(buildsPath(distDir), `${startedAt.getTime()}-${randomUUID().slice(0, 8)}`)
  const workDir = `${buildDir}${BUILDING}${ownerTag()}`
  workInProgress.add(path.basename(workDir))
  try {
    await removeAbandonedBuilds({ distDir })
    await mkdir(workDir, { recursive: true })
    return await buildInto({
      payload,
      distDir,
      mediaDir,
      siteUrl,
      isSuperseded,
      startedAt,
      workDir,
      buildDir,
    })
  } catch (err) {
    await rm(workDir, { recursive: true, force: true })
    if ((await liveBuild({ distDir })) !== buildDir) await rm(buildDir, { recursive: true, force: true })
    throw err
  } finally {
    workInProgress.delete(path.basename(workDir))
  }
}

/** One build's options with their defaults filled in, and where it builds. */
type BuildPlan = Required<Omit<BuildOptions, 'isSuperseded'>> &
  Pick<BuildOptions, 'isSuperseded'> & { startedAt: Date; workDir: string; buildDir: string }

async function buildInto({
  payload,
  distDir,
  mediaDir,
  siteUrl,
  isSuperseded,
  startedAt,
  workDir,
  buildDir,
}: BuildPlan): Promise<SiteBuildResult> {
  const plate = await startPlateServer({ payload })
  try {
    const clock = phaseClock()
    const { pagesReused } = await runAstro({
      plateUrl: plate.url,
      outDir: workDir,
      siteUrl,
      cacheDir: path.join(distDir, 'astro-cache'),
    })
    const astroMs = clock()
    await linkMedia({ files: plate.mediaFiles, from: mediaDir, to: path.join(workDir, 'media') })
    const mediaMs = clock()
    // The pages go live first, with the last build's search index: a publish shows on the
    // site without waiting for the whole archive to be indexed again.
    const previous = await liveBuild({ distDir })
    await carrySearchIndex({ from: previous, to: workDir })
    // Complete but for search: it takes its finished name, then goes live.
    await rename(workDir, buildDir)
    await swapLive({ distDir, buildDir })
    const swapMs = clock()
    const pagesLiveMs = Date.now() - startedAt.getTime()
    const pagesIndexed = await replaceSearchIndex({ buildDir, isSuperseded })
    const searchMs = clock()
    await pruneOldBuilds({ distDir, live: buildDir, previous })
    return {
      buildDir,
      stories: plate.storyIds.size,
      mediaFiles: plate.mediaFiles.size,
      pagesIndexed,
      pagesReused,
      startedAt,
      pagesLiveMs,
      durationMs: Date.now() - startedAt.getTime(),
      phases: { astro: astroMs, media: mediaMs, search: searchMs, swap: swapMs },
    }
  } finally {
    await plate.close()
  }
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

/** Milliseconds since the clock was made, or since it was last read. */
function phaseClock(): () => number {
  let last = performance.now()
  return () => {
    const now = performance.now()
    const elapsed = now - last
    last = now
    return Math.round(elapsed)
  }
}

/** Stops Pagefind's indexing service so a one-off build's process can exit. */
export const stopSearchIndexer = () => pagefind.close()

async function runAstro({
  plateUrl,
  outDir,
  siteUrl,
  cacheDir,
}: {
  plateUrl: string
  outDir: string
  siteUrl: string
  cacheDir: string
}): Promise<{ pagesReused: number }> {
  const astro = path.join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs')
  // Astro bundles the pages into a scratch folder under its working directory and imports
  // them from there: one folder per build (two builds never share it), inside the project so
  // the bundles resolve the project's node_modules. Named after the build's work folder, so
  // it carries the same owner.
  const scratchDir = path.join(scratchRoot(), path.basename(outDir))
  await mkdir(scratchDir, { recursive: true })
  const child = spawn(process.execPath, [astro, 'build', '--root', siteDir], {
    cwd: scratchDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HONGYAN_PLATE_URL: plateUrl,
      HONGYAN_SITE_OUT_DIR: outDir,
      HONGYAN_SITE_URL: siteUrl,
      HONGYAN_ASTRO_CACHE_DIR: cacheDir,
      ASTRO_TELEMETRY_DISABLED: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let pagesReused = 0
  const keep = (chunk: Buffer) => {
    const text = chunk.toString()
    // Astro marks each page it copied from its incremental cache.
    pagesReused += text.match(/\((?:restored|cached)\)/g)?.length ?? 0
    output = (output + text).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (exitCode) => resolve(exitCode))
  }).finally(() => rm(scratchDir, { recursive: true, force: true }))
  if (code !== 0) {
    const lines = stripVTControlCharacters(output).trim().split('\n')
    const reason = lines.findLast((line) => /error/i.test(line)) ?? lines.at(-1) ?? ''
    throw new SiteBuildError({
      message: `the Astro build failed (exit code ${code}): ${reason.trim()}`,
      output,
    })
  }
  return { pagesReused }
}

/** Hard links (media files are never rewritten in place), or copies across file systems. */
async function linkMedia({ files, from, to }: { files: Set<string>; from: string; to: string }) {
  await mkdir(to, { recursive: true })
  for (const file of files) {
    const source = path.join(from, path.basename(file))
    const target = path.join(to, path.basename(file))
    try {
      await link(source, target)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EXDEV' || code === 'EPERM') await copyFile(source, target)
      else if (code === 'ENOENT')
        throw new SiteBuildError({ message: `the media file ${source} is missing`, cause: err })
      else throw err
    }
  }
}

/** Where a build's search index lives: `pagefind` is a symlink to the hidden folder in use. */
const SEARCH_LINK = 'pagefind'
const SEARCH_DIR_PREFIX = '.pagefind-'

/** Hard-links the live build's search index into a new build, so its search works from the start. */
async function carrySearchIndex({ from, to }: { from: string | null; to: string }) {
  if (!from) return
  const current = await readlink(path.join(from, SEARCH_LINK)).catch(() => null)
  // Builds made before the index was a symlink have it as a plain folder.
  const source = current ? path.join(from, current) : path.join(from, SEARCH_LINK)
  const stat = await lstat(source).catch(() => null)
  if (!stat?.isDirectory()) return
  const name = `${SEARCH_DIR_PREFIX}${randomUUID().slice(0, 8)}`
  await linkTree({ from: source, to: path.join(to, name) })
  await symlink(name, path.join(to, SEARCH_LINK), 'dir')
}

async function linkTree({ from, to }: { from: string; to: string }) {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) await linkTree({ from: source, to: target })
    else await link(source, target).catch(() => copyFile(source, target))
  }
}

/**
 * Indexes the live build's story pages into a hidden folder, then points its `pagefind`
 * symlink there in one atomic rename and removes the index it replaced. A build killed while
 * indexing leaves the carried index serving and a hidden partial folder no one reads.
 */
async function replaceSearchIndex({
  buildDir,
  isSuperseded,
}: {
  buildDir: string
  isSuperseded?: () => Promise<boolean>
}): Promise<number | null> {
  if (await isSuperseded?.()) return null
  const link = path.join(buildDir, SEARCH_LINK)
  const replaced = await readlink(link).catch(() => null)
  const name = `${SEARCH_DIR_PREFIX}${randomUUID().slice(0, 8)}`
  const pages = await indexForSearch({ buildDir, outputPath: path.join(buildDir, name), isSuperseded })
  if (pages === null) return null
  const next = `${link}.next-${randomUUID().slice(0, 8)}`
  await symlink(name, next, 'dir')
  await rename(next, link)
  if (replaced) await rm(path.join(buildDir, replaced), { recursive: true, force: true })
  return pages
}

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
  if (!index) throw new SiteBuildError({ message: `Pagefind could not start: ${errors.join('; ')}` })
  try {
    // Only story pages are searchable (their article carries data-pagefind-body); lists,
    // tags and archives would cost indexing time and find nothing more.
    const added = await index.addDirectory({ path: buildDir, glob: 'stories/**/*.html' })
    if (added.errors.length) throw new SiteBuildError({ message: `Pagefind: ${added.errors.join('; ')}` })
    // Writing the index is most of the work: a newer build waiting by now will do it instead.
    if (await isSuperseded?.()) return null
    const written = await index.writeFiles({ outputPath })
    if (written.errors.length) throw new SiteBuildError({ message: `Pagefind: ${written.errors.join('; ')}` })
    return added.page_count
  } finally {
    await index.deleteIndex()
  }
}

async function swapLive({ distDir, buildDir }: { distDir: string; buildDir: string }) {
  const live = liveSitePath(distDir)
  const next = `${live}.next-${randomUUID().slice(0, 8)}${BUILDING}${ownerTag()}`
  workInProgress.add(path.basename(next))
  try {
    await symlink(path.relative(distDir, buildDir), next, 'dir')
    await rename(next, live)
  } finally {
    workInProgress.delete(path.basename(next))
  }
}

/**
 * Removes finished builds older than the live one, except the build that was live before it:
 * a build still running (in this process or another) and a newer build are left alone.
 */
async function pruneOldBuilds({
  distDir,
  live,
  previous,
}: {
  distDir: string
  live: string
  previous: string | null
}) {
  for (const name of await readdir(buildsPath(distDir))) {
    const dir = path.join(buildsPath(distDir), name)
    if (FINISHED_BUILD.test(name) && dir < live && dir !== previous)
      await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Removes what builds killed mid-way left behind: their half-built folders in
 * `<dist>/site-builds/`, Astro's scratch folders, a live-symlink swap cut short. Work of a
 * build still running, here or in another process, is left alone.
 */
async function removeAbandonedBuilds({ distDir }: { distDir: string }) {
  const swapPrefix = `${path.basename(liveSitePath(distDir))}.next-`
  const places = [
    { dir: buildsPath(distDir), isWork: (name: string) => !FINISHED_BUILD.test(name) },
    { dir: scratchRoot(), isWork: () => true },
    { dir: distDir, isWork: (name: string) => name.startsWith(swapPrefix) },
  ]
  for (const { dir, isWork } of places) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!isWork(name) || workInProgress.has(name)) continue
      const at = name.lastIndexOf(BUILDING)
      const tag = at >= 0 ? name.slice(at + BUILDING.length) : undefined
      const stat = await lstat(path.join(dir, name)).catch(() => null)
      // Work tagged with this process's own name and not in progress was left by an earlier
      // process that had the same pid.
      const isLeftOver = tag === ownerTag() || (stat && isAbandoned({ tag, modifiedAt: stat.mtimeMs }))
      if (!stat || !isLeftOver) continue
      await rm(path.join(dir, name), { recursive: true, force: true })
      // A build killed mid-way may have rewritten part of Astro's incremental cache under the
      // old manifest: the next build renders every page afresh (and records a new cache).
      if (dir === buildsPath(distDir)) await rm(incrementalManifest(distDir), { force: true })
    }
  }
}

/** Astro's record of the last build's pages (experimental.incrementalBuild), in its cache dir. */
const incrementalManifest = (distDir: string) => path.join(distDir, 'astro-cache', 'incremental-build.json')
