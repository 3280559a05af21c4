import { createHash, randomUUID } from 'node:crypto'
import { readdir, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { sweepAbandoned } from '../../lib/files/sweepAbandoned.ts'
import { hashFiles } from '../../lib/manifest.ts'
import { lastErrorLine, runTool } from '../../lib/runTool.ts'
import { projectRoot } from '../../paths.ts'
import { isInProgress, isUnfinishedName, unfinishedName, whileInProgress, workOf } from './workInProgress.ts'

/** Where `astro build` puts the site's renderer: `server/` (the bundle) and `client/` (assets). */
export const rendererDir = () =>
  path.resolve(projectRoot, process.env.HONGYAN_SITE_RENDERER_DIR ?? path.join('site', 'dist'))

export interface SiteRenderer {
  /** A digest of the renderer's code: a page rendered by another renderer is rendered again. */
  id: string
  /** The static assets every build carries (scripts, the favicon). */
  clientDir: string
  /** The renderer's entry module, as the render threads import it (renderPool.ts). */
  entryUrl: string
}

export class SiteRenderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'SiteRenderError'
  }
}

/**
 * The renderer Astro built, built first when it is missing or older than the site's sources
 * (so a changed template never renders with old code). The render threads load it.
 */
export async function loadRenderer({ dir = rendererDir() }: { dir?: string } = {}): Promise<SiteRenderer> {
  if (await isRendererStale({ dir })) await buildRenderer({ dir })
  const id = await digestTree(path.join(dir, 'server'))
  return {
    id,
    clientDir: path.join(dir, 'client'),
    // The id in the address: a thread of a new renderer never gets the old one's modules.
    entryUrl: `${pathToFileURL(entryOf(dir)).href}?v=${id}`,
  }
}

const entryOf = (dir: string) => path.join(dir, 'server', 'entry.mjs')

/** What the renderer is built from. */
const rendererSources = () => [
  ...['src', 'planner', 'renderer', 'public', 'astro.config.mjs'].map((name) =>
    path.join(projectRoot, 'site', name),
  ),
  // The site renders the plate with these (pictures, the house's names).
  path.join(projectRoot, 'cms', 'channels'),
]

export async function isRendererStale({ dir = rendererDir() }: { dir?: string } = {}): Promise<boolean> {
  const built = await stat(entryOf(dir)).catch(() => null)
  if (!built) return true
  for (const source of rendererSources()) {
    const info = await stat(source).catch(() => null)
    if (!info) continue
    const files = info.isDirectory()
      ? (await readdir(source, { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile())
          .map((entry) => path.join(entry.parentPath, entry.name))
      : [source]
    for (const file of files) if ((await stat(file)).mtimeMs > built.mtimeMs) return true
  }
  return false
}

/**
 * `astro build` of the site into a fresh folder, then swapped in place of `dir`: a process
 * rendering with the old renderer keeps its loaded code, and no one sees half a renderer.
 * The fresh and the old folder carry their owner's name (workInProgress.ts): what a killed
 * build left beside `dir` is removed by the next one.
 */
export async function buildRenderer({ dir = rendererDir() }: { dir?: string } = {}): Promise<void> {
  await removeAbandonedRendererBuilds({ dir })
  const fresh = unfinishedName(`${dir}.${randomUUID().slice(0, 8)}`)
  const astro = path.join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs')
  await whileInProgress(fresh, async () => {
    try {
      await runTool({
        command: process.execPath,
        args: [astro, 'build', '--root', path.join(projectRoot, 'site')],
        name: 'astro build',
        cwd: projectRoot,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          HONGYAN_RENDERER_OUT_DIR: fresh,
          ASTRO_TELEMETRY_DISABLED: '1',
        },
        isStdoutRead: true,
        pickReason: lastErrorLine,
        failure: ({ code, signal, reason }) =>
          new SiteRenderError(
            `the site renderer's Astro build failed (${signal ?? `exit code ${code}`}): ${reason ?? 'no output'}`,
          ),
      })
      await swapIn({ dir, fresh })
    } finally {
      await rm(fresh, { recursive: true, force: true })
    }
  })
}

/** A digest of every file's name and bytes under `dir`. */
async function digestTree(dir: string): Promise<string> {
  const hash = createHash('sha256')
  for (const file of await hashFiles({ dir })) hash.update(`${file.path}\0${file.sha256}\0`)
  return hash.digest('base64url').slice(0, 16)
}

/** Puts the renderer built in `fresh` in place of `dir`, the old one moved aside and removed. */
async function swapIn({ dir, fresh }: { dir: string; fresh: string }) {
  const old = unfinishedName(`${dir}.old-${randomUUID().slice(0, 8)}`)
  await whileInProgress(old, async () => {
    await rename(dir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
    await rename(fresh, dir).catch((err: NodeJS.ErrnoException) => {
      // Another process installed the renderer it built from the same sources meanwhile: keep it.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err
    })
    await rm(old, { recursive: true, force: true })
  })
}

/** Removes the renderer builds (and old renderers set aside) that killed processes left beside `dir`. */
async function removeAbandonedRendererBuilds({ dir }: { dir: string }) {
  const prefix = `${path.basename(dir)}.`
  await sweepAbandoned({
    dir: path.dirname(dir),
    workOf: (name) => (name.startsWith(prefix) && isUnfinishedName(name) ? workOf(name) : null),
    isInProgress,
  })
}
