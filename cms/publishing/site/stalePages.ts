import { rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { fileOf } from '../../../site/planner/index.ts'
import type { BuildState } from './buildState.ts'

/** The stories the last build showed that are not public any more. */
export function removedStories({ prior, current }: { prior: BuildState | null; current: Set<number> }) {
  return (prior?.stories ?? []).filter((story) => !current.has(story.id))
}

/** Removes from a build updated in place the pages and the other files it no longer has. */
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
  await removePages({ dir, paths: Object.keys(prior.pages).filter((page) => pages[page] === undefined) })
  const kept = new Set(files)
  for (const file of (prior.files ?? []).filter((name) => !kept.has(name))) await removeFile({ dir, file })
}

export async function removePages({ dir, paths }: { dir: string; paths: string[] }) {
  for (const page of paths) await removeFile({ dir, file: fileOf(page) })
}

async function removeFile({ dir, file }: { dir: string; file: string }) {
  await rm(path.join(dir, file), { force: true })
  // A story's or a list's own folder goes with its page.
  await rmdir(path.dirname(path.join(dir, file))).catch(() => undefined)
}
