import { mkdirSync, writeFileSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { PublishedStory } from '../../channels/types.ts'

/**
 * `<dist>/plate-cache/<id>.json`: the last plated version of each published story, kept
 * beside the builds (never inside one, which is public), so a build reads from the kitchen
 * only the stories that changed.
 */
const plateCacheDir = (distDir: string) => path.join(distDir, 'plate-cache')

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
