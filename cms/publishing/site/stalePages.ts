import { rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { fileOf } from '../../../site/planner/index.ts'
import type { BuildState } from './buildState.ts'

/** The stories the last build showed that are not public any more. */
export function removedStories({ prior, current }: { prior: BuildState | null; current: Set<number> }) {
  return (prior?.stories ?? []).filter((story) => !current.has(story.id))
}

/**
 * Removes from a build updated in place the pages and the other files it no longer has. A
 * file is kept while either holds it: a story's old page is a redirect now, a redirect is a
 * page again (another story took the address).
 */
export async function removeStale({
  dir,
  prior,
  pages,
  files,
}: {
  dir: string
  prior: BuildState
  pages: Record<string, string>
  files: string[]
}) {
  const kept = new Set([...files, ...Object.keys(pages).map((page) => fileOf(page))])
  const gone = [...Object.keys(prior.pages).map((page) => fileOf(page)), ...(prior.files ?? [])]
  for (const file of new Set(gone)) if (!kept.has(file)) await removeFile({ dir, file })
}

export async function removePages({ dir, paths }: { dir: string; paths: string[] }) {
  for (const page of paths) await removeFile({ dir, file: fileOf(page) })
}

async function removeFile({ dir, file }: { dir: string; file: string }) {
  await rm(path.join(dir, file), { force: true })
  // A story's or a list's own folder goes with its page.
  await rmdir(path.dirname(path.join(dir, file))).catch(() => undefined)
}
