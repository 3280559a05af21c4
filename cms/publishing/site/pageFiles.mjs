// Plain JavaScript: the render workers (renderWorker.mjs) load it without a TypeScript loader.
import { randomUUID } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Writes a file of a build. `replace`: the build is live, so the file is written under a
 * hidden name, then renamed over the old one (a reader gets the old page or the new, never
 * half); otherwise it is written in place (the build is not live yet).
 *
 * @param {{ dir: string, file: string, text: string, replace?: boolean }} input
 * @returns {Promise<void>}
 */
export async function writeBuildFile({ dir, file, text, replace = false }) {
  const target = path.join(dir, file)
  await mkdir(path.dirname(target), { recursive: true })
  if (!replace) return writeFile(target, text)
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}`)
  await writeFile(temporary, text)
  await rename(temporary, target)
}

/**
 * One page's HTML from the renderer's entry (site/renderer/entry.mjs).
 *
 * @param {{ renderPage: (input: { url: string, page: unknown }) => Promise<Response> }} entry
 * @param {{ path: string, data: unknown, siteUrl: string }} input
 * @returns {Promise<string>}
 */
export async function renderHtml(entry, { path: pagePath, data, siteUrl }) {
  const response = await entry.renderPage({ url: new URL(pagePath, siteUrl).href, page: data })
  const html = await response.text()
  if (response.status >= 500)
    throw new Error(`rendering ${pagePath} failed (${response.status}): ${html.slice(0, 300)}`)
  return html
}
