import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { StorySummary } from '../../../site/src/lib/pages.ts'
import type { PublishedStory } from '../../channels/types.ts'

/**
 * What the site build keeps between builds, beside the builds themselves (never inside a
 * build folder, which is public):
 * - `<dist>/plate-cache/<id>.json`: the last plated version of each published story, so a
 *   build reads from the kitchen only the stories that changed;
 * - `<dist>/site-state/<build>.json`: for each finished build, the summaries of the stories it
 *   shows and the render key of every page it holds, so the next build renders only the pages
 *   whose key changed and hard-links the rest.
 */
/** The `updatedAt` of each medium, person and section, by id, when a build read them. */
export type Dependencies = Record<'media' | 'people' | 'sections', Record<number, string>>

export interface BuildState {
  /** The renderer that rendered the pages: another renderer renders every page again. */
  rendererId: string
  siteUrl: string
  /** The render key of what every page shows around its own content (plan.ts layoutOf). */
  layoutKey?: string
  /** What the stories were plated with: a story showing one saved since is read again. */
  dependencies: Dependencies
  /** Oldest first, in the order the build related them. */
  stories: StorySummary[]
  /** Root-relative page path → render key. */
  pages: Record<string, string>
  /** The other files the build wrote (feeds, sitemaps, robots.txt), relative to the build. */
  files: string[]
}

const plateCacheDir = (distDir: string) => path.join(distDir, 'plate-cache')
const stateDir = (distDir: string) => path.join(distDir, 'site-state')
const stateFile = (distDir: string, build: string) =>
  path.join(stateDir(distDir), `${path.basename(build)}.json`)

/** Writes to a hidden temporary name, then renames: a reader never sees half a file. */
async function writeAtomic(file: string, text: string) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID().slice(0, 8)}`)
  await writeFile(temporary, text)
  await rename(temporary, file)
}

/**
 * The last state this process wrote or read, with the file's size and time then: a worker
 * building again and again reads none from disk, and a state another process wrote since is
 * read afresh.
 */
let remembered: { file: string; state: BuildState; mtimeMs: number; size: number } | null = null

export async function readState({
  distDir,
  build,
}: {
  distDir: string
  build: string
}): Promise<BuildState | null> {
  const file = stateFile(distDir, build)
  try {
    const info = await stat(file)
    if (remembered?.file === file && remembered.mtimeMs === info.mtimeMs && remembered.size === info.size)
      return remembered.state
    const state = JSON.parse(await readFile(file, 'utf8')) as BuildState
    remembered = { file, state, mtimeMs: info.mtimeMs, size: info.size }
    return state
  } catch (err) {
    // A missing or unreadable state only costs a full render.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return null
    throw err
  }
}

export async function writeState({
  distDir,
  build,
  state,
}: {
  distDir: string
  build: string
  state: BuildState
}) {
  await mkdir(stateDir(distDir), { recursive: true })
  const file = stateFile(distDir, build)
  await writeAtomic(file, JSON.stringify(state))
  const info = await stat(file)
  remembered = { file, state, mtimeMs: info.mtimeMs, size: info.size }
}

/** Removes the states of builds that no longer exist (and temporary files a killed build left). */
export async function pruneStates({ distDir, builds }: { distDir: string; builds: Set<string> }) {
  for (const name of await readdir(stateDir(distDir)).catch(() => [] as string[])) {
    if (!builds.has(name.replace(/\.(json|dirty)$/, '')))
      await rm(path.join(stateDir(distDir), name), { force: true })
  }
}

/** A plated story as cached: its JSON and the digest the story's summary carries. */
export interface CachedPlate {
  id: number
  digest: string
  json: string
}

/**
 * Written in place, without a temporary file and a rename: a file cut short by a crash is not
 * JSON, and reads as missing (the story is read from the kitchen again).
 */
export async function cachePlates({ distDir, plates }: { distDir: string; plates: CachedPlate[] }) {
  mkdirSync(plateCacheDir(distDir), { recursive: true })
  for (const { id, digest, json } of plates)
    writeFileSync(
      path.join(plateCacheDir(distDir), `${id}.json`),
      `{"digest":${JSON.stringify(digest)},"story":${json}}`,
    )
}

/** The cached plate of a story and the digest it was cached with, or null when it is missing. */
export async function cachedPlate({
  distDir,
  id,
}: {
  distDir: string
  id: number
}): Promise<{ digest: string; story: PublishedStory } | null> {
  try {
    const cached = JSON.parse(await readFile(path.join(plateCacheDir(distDir), `${id}.json`), 'utf8'))
    return typeof cached?.digest === 'string' && cached.story ? cached : null
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return null
    throw err
  }
}

/** Drops the cached plates of stories no longer published: a withdrawn story is kept nowhere public-facing. */
export async function pruneCachedPlates({ distDir, keep }: { distDir: string; keep: Set<number> }) {
  for (const name of await readdir(plateCacheDir(distDir)).catch(() => [] as string[])) {
    const id = Number(name.replace(/\.json$/, ''))
    if (!keep.has(id)) await rm(path.join(plateCacheDir(distDir), name), { force: true })
  }
}

/**
 * A build being updated in place is marked dirty until its new state is written: if the
 * update is cut short, the next build does not trust the build's pages and renders anew.
 */
const dirtyFile = (distDir: string, build: string) =>
  path.join(stateDir(distDir), `${path.basename(build)}.dirty`)

export async function markDirty({ distDir, build }: { distDir: string; build: string }) {
  await mkdir(stateDir(distDir), { recursive: true })
  await writeFile(dirtyFile(distDir, build), new Date().toISOString())
}

export async function clearDirty({ distDir, build }: { distDir: string; build: string }) {
  await rm(dirtyFile(distDir, build), { force: true })
}

export async function isDirty({ distDir, build }: { distDir: string; build: string }): Promise<boolean> {
  return readFile(dirtyFile(distDir, build)).then(
    () => true,
    () => false,
  )
}
