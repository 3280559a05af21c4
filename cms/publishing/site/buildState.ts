import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { StorySummary } from '../../../site/planner/index.ts'

/**
 * What the site build keeps of each finished build, beside the builds themselves (never inside
 * a build folder, which is public): `<dist>/site-state/<build>.json`, the summaries of the
 * stories it shows and the render key of every page it holds, so the next build renders only
 * the pages whose key changed and keeps the rest. (The plates themselves: plateCache.ts.)
 */

/** The `updatedAt` of each medium, person and section, by id, when a build read them. */
export type Dependencies = Record<'media' | 'people' | 'sections', Record<number, string>>

export interface BuildState {
  /** The renderer that rendered the pages: another renderer renders every page again. */
  rendererId: string
  siteUrl: string
  /** The render key of what every page shows around its own content (the planner's layoutOf). */
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

const stateDir = (distDir: string) => path.join(distDir, 'site-state')
const stateFile = (distDir: string, build: string) =>
  path.join(stateDir(distDir), `${path.basename(build)}.json`)

/**
 * The last state this process wrote or read, with the file's size and time then: a worker
 * building again and again reads none from disk, and a state another process wrote since is
 * read afresh.
 */
let remembered: { file: string; state: BuildState; mtimeMs: number; size: number } | null = null

/**
 * The state is written as lines: a header (everything but the stories) first, then one line
 * a story, so that neither writing nor reading it ever makes one string of the whole (half a
 * gigabyte at 100,000 stories, about V8's limit for a string). Format 3: each summary holds
 * the stories it links to and its former slugs.
 */
const STATE_FORMAT = 3
type StateHeader = Omit<BuildState, 'stories'> & { format: number }

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
    const bytes = await readFile(file)
    const share = sharedParts()
    let header: StateHeader | null = null
    const stories: StorySummary[] = []
    for (let start = 0; start < bytes.length; ) {
      const newline = bytes.indexOf(10, start)
      const end = newline === -1 ? bytes.length : newline
      const line = JSON.parse(bytes.toString('utf8', start, end))
      if (header) stories.push(share(line as StorySummary))
      else header = line as StateHeader
      start = end + 1
    }
    // Another format (an older release's): a full render, once.
    if (header?.format !== STATE_FORMAT) return null
    const { format: _format, ...rest } = header
    const state: BuildState = { ...rest, stories }
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
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID().slice(0, 8)}`)
  const { stories, ...rest } = state
  const handle = await open(temporary, 'w')
  try {
    let part = JSON.stringify({ format: STATE_FORMAT, ...rest } satisfies StateHeader)
    for (const story of stories) {
      part += `\n${JSON.stringify(story)}`
      if (part.length > 1 << 22) {
        await handle.write(part)
        part = ''
      }
    }
    await handle.write(part)
  } finally {
    await handle.close()
  }
  await rename(temporary, file)
  const info = await stat(file)
  remembered = { file, state, mtimeMs: info.mtimeMs, size: info.size }
}

/**
 * Makes summaries share equal people, sections and hero images: 100,000 stories show a few
 * hundred of each, and a build holds every summary in memory.
 */
export function sharedParts(): (summary: StorySummary) => StorySummary {
  const seen = new Map<string, unknown>()
  const share = <T>(value: T): T => {
    if (value === null || typeof value !== 'object') return value
    const key = JSON.stringify(value)
    const known = seen.get(key)
    if (known !== undefined) return known as T
    seen.set(key, value)
    return value
  }
  return (summary) => {
    summary.people = summary.people.map(share)
    summary.section = share(summary.section)
    summary.hero = share(summary.hero)
    return summary
  }
}

/** Removes the states of builds that no longer exist (and temporary files a killed build left). */
export async function pruneStates({ distDir, builds }: { distDir: string; builds: Set<string> }) {
  for (const name of await readdir(stateDir(distDir)).catch(() => [] as string[])) {
    if (!builds.has(name.replace(/\.(json|dirty)$/, '')))
      await rm(path.join(stateDir(distDir), name), { force: true })
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
