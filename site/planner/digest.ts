import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Every folder whose code the planner runs: its own and the renderers' (the layer lint keeps
 * the planner from importing anything else, so no file the planner can reach is left out).
 */
const PLANNER_SOURCES = ['site/planner', 'cms/channels']

/**
 * A digest of the code that plans pages and their keys: the renderer's id does not cover it
 * (the build runs it, not the renderer), so a change to it (how stories are related, what a
 * key covers, a new helper it imports) changes every page's key, and no key of the last build
 * is trusted. Read once a process.
 */
export function plannerDigest({ projectRoot }: { projectRoot: string }): string {
  const known = digests.get(projectRoot)
  if (known !== undefined) return known
  const hash = createHash('sha256')
  for (const source of PLANNER_SOURCES) {
    const dir = path.join(projectRoot, source)
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort()
    for (const file of files)
      hash.update(path.relative(projectRoot, file)).update('\0').update(readFileSync(file)).update('\0')
  }
  const digest = hash.digest('base64url').slice(0, 16)
  digests.set(projectRoot, digest)
  return digest
}

const digests = new Map<string, string>()
