// Plain JavaScript: the render threads (renderWorker.mjs) load it without a TypeScript loader.
import { randomUUID } from 'node:crypto'
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Writes a file of a build. `replace`: the build is live, so the file is written under a
 * hidden name, then renamed over the old one (a reader gets the old page or the new, never
 * half); otherwise it is written in place (the build is not live yet).
 *
 * Synchronous: it runs on a render thread of its own (or for a handful of feeds), and a
 * synchronous write skips the hop through libuv's small thread pool, which every thread of
 * the process shares.
 *
 * @param {{ dir: string, file: string, text: string | Uint8Array, replace?: boolean }} input
 * @returns {void}
 */
export function writeBuildFile({ dir, file, text, replace = false }) {
  const target = path.join(dir, file)
  mkdirSync(path.dirname(target), { recursive: true })
  if (!replace) return writeFileSync(target, text)
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}`)
  writeFileSync(temporary, text)
  renameSync(temporary, target)
}

/**
 * One page's HTML, as UTF-8 bytes, from the renderer's entry (site/renderer/entry.mjs).
 *
 * @param {{ renderPage: (input: { url: string, page: unknown }) => Promise<Response> }} entry
 * @param {{ path: string, data: unknown, siteUrl: string }} input
 * @returns {Promise<Uint8Array>}
 */
export async function renderPageBytes(entry, { path: pagePath, data, siteUrl }) {
  const response = await entry.renderPage({ url: new URL(pagePath, siteUrl).href, page: data })
  const bytes = new Uint8Array(await response.arrayBuffer())
  if (response.status >= 500) {
    const reason = new TextDecoder().decode(bytes.subarray(0, 1200)).slice(0, 300)
    throw new Error(`rendering ${pagePath} failed (${response.status}): ${reason}`)
  }
  return bytes
}
