import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileOf, type Redirect } from '../../../site/planner/index.ts'
import { redirectPageHtml, redirectsFileText } from '../../channels/redirectPage.ts'
import type { WriteFile } from './staticFiles.ts'

/** Where the build lists its redirects for the site server (and static hosts that read one). */
export const REDIRECTS_FILE = '_redirects'

/**
 * A redirect page at each former address of a story (the file a static host serves there),
 * and the `_redirects` list of them all when there is one. Returns the files written.
 */
export async function writeRedirects({
  redirects,
  dir,
  siteUrl,
  write,
}: {
  redirects: Redirect[]
  dir: string
  siteUrl: string
  write: WriteFile
}): Promise<string[]> {
  if (redirects.length === 0) return []
  const files: string[] = []
  for (const { from, to, title } of redirects) {
    const file = fileOf(from)
    await write({ dir, file, text: redirectPageHtml({ title, path: to, siteUrl }) })
    files.push(file)
  }
  await write({ dir, file: REDIRECTS_FILE, text: redirectsFileText(redirects) })
  return [...files, REDIRECTS_FILE]
}

/**
 * The live build's redirects (its `_redirects`: a story's former address → its address now),
 * read again only when the file changes (a new build, or one updated in place, renames a new
 * one over it).
 */
export function redirectsOf({ root }: { root: string }) {
  let known: { stamp: string; targets: Map<string, string> } | null = null
  return async (pathname: string): Promise<string | null> => {
    const file = path.join(root, REDIRECTS_FILE)
    const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null
      throw err
    })
    if (!info) return null
    const stamp = `${info.ino}:${info.mtimeMs}:${info.size}`
    if (known?.stamp !== stamp) known = { stamp, targets: parseRedirects(await readFile(file, 'utf8')) }
    return known.targets.get(addressOf(pathname)) ?? null
  }
}

/** `<from> <to> 301` lines → from → to. */
function parseRedirects(text: string): Map<string, string> {
  const targets = new Map<string, string>()
  for (const line of text.split('\n')) {
    const [from, to] = line.trim().split(/\s+/)
    if (from && to) targets.set(from, to)
  }
  return targets
}

/** `/stories/old`, `/stories/old/` and `/stories/old/index.html` are one address. */
function addressOf(pathname: string): string {
  const folder = pathname.endsWith('/index.html') ? pathname.slice(0, -'index.html'.length) : pathname
  return folder.endsWith('/') ? folder : `${folder}/`
}
