import { open } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { pipeline } from 'node:stream'
import etag from 'etag'
import fresh from 'fresh'
import { contentType } from 'mime-types'

/**
 * Answers a GET or HEAD for a file under `root` (a folder's `index.html` for a path ending in
 * `/`, a 301 to `<path>/` for a folder asked without it), with ETag and Last-Modified, and 304
 * to a conditional request that still holds. Resolves false when there is no such file (dot
 * files and paths outside `root` included): the caller answers 404.
 *
 * The file is opened first and its size and time read from the open file, then the body is
 * read from that same open file: a build that replaces the file meanwhile (a publish renames a
 * new rss.xml over the old one) cannot change what this answer sends. `send` (under
 * serve-static) reads the size from the path, then opens the path again, and a shorter file
 * renamed in between left the client waiting for bytes that never came, until the server's
 * keep-alive timeout closed the connection 5 s later.
 */
export async function serveFile({
  root,
  request,
  response,
  setHeaders,
  hidden = [],
}: {
  root: string
  request: IncomingMessage
  response: ServerResponse
  /** Files under `root` that are the server's, not the site's (as paths under root). */
  hidden?: readonly string[]
  /** Headers of the server's own for this file (its path under `root`). */
  setHeaders: (response: ServerResponse, filePath: string) => void
}): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://site')
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return false
  }
  if (pathname.includes('\0')) return false
  const parts = pathname.split('/')
  if (parts.some((part) => part === '..' || part.startsWith('.'))) return false
  const file = path.join(root, ...parts, pathname.endsWith('/') ? 'index.html' : '')
  if (!file.startsWith(`${root}${path.sep}`)) return false
  if (hidden.some((name) => file === path.join(root, name))) return false

  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'ENAMETOOLONG') return null
    throw err
  })
  if (!handle) return false
  let isStreaming = false
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) {
      if (pathname.endsWith('/')) return false
      // One leading slash: `//host/` would send the reader to another site.
      const location = `/${url.pathname.replace(/^\/+/, '')}/${url.search}`
      response
        .writeHead(301, { Location: location, 'Content-Type': 'text/html; charset=utf-8' })
        .end(request.method === 'HEAD' ? undefined : `<p>Redirecting to ${encodeURI(location)}</p>`)
      return true
    }
    if (!stat.isFile()) return false
    const tag = etag(stat)
    const lastModified = stat.mtime.toUTCString()
    response.setHeader('Content-Type', contentType(path.extname(file)) || 'application/octet-stream')
    response.setHeader('ETag', tag)
    response.setHeader('Last-Modified', lastModified)
    setHeaders(response, file)
    if (fresh(request.headers, { etag: tag, 'last-modified': lastModified })) {
      response.writeHead(304).end()
      return true
    }
    response.setHeader('Content-Length', stat.size)
    if (request.method === 'HEAD' || stat.size === 0) {
      response.writeHead(200).end()
      return true
    }
    // The reader went away while the file was opened: nothing to send (the file is closed below).
    if (response.destroyed) return true
    response.writeHead(200)
    // The stream closes the file when it ends, fails or the reader goes away.
    isStreaming = true
    pipeline(handle.createReadStream({ start: 0, end: stat.size - 1 }), response, () => undefined)
    return true
  } finally {
    if (!isStreaming) await handle.close()
  }
}
