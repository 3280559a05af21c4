import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import path from 'node:path'
import serveStatic from 'serve-static'
import { mediaContentSecurityPolicy } from '../../security/headers.ts'
import { liveSitePath } from './buildFolders.ts'
import { REDIRECTS_FILE, redirectsOf } from './redirects.ts'

/**
 * What the site may do in a browser: its own scripts (Pagefind's search needs WebAssembly),
 * inline styles (Astro inlines the stylesheet), its own images, nothing framed.
 */
export const siteSecurityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
} as const

/** Feeds get their own media types (a CDN in front of `dist/site` should do the same). */
const feedTypes: Record<string, string> = {
  'rss.xml': 'application/rss+xml',
  'atom.xml': 'application/atom+xml',
  'feed.json': 'application/feed+json',
}

/**
 * Serves the live static site (`<dist>/site`). The symlink is followed on every request, so
 * a finished build is served from the next request on; before the first build readers get
 * a 503 that asks them to come back in a few seconds. A story's former address is answered
 * with a 301 to its current one (the build's `_redirects`).
 */
export function createSiteServer({ distDir }: { distDir: string }): Server {
  const root = liveSitePath(distDir)
  const redirectFor = redirectsOf({ root })
  const serve = serveStatic(root, {
    index: ['index.html'],
    redirect: true,
    dotfiles: 'ignore',
    setHeaders: (response, filePath) => {
      const feedType = feedTypes[path.basename(filePath)]
      if (feedType) response.setHeader('Content-Type', `${feedType}; charset=utf-8`)
      const isMedia = filePath.includes(`${path.sep}media${path.sep}`)
      // An uploaded file is only ever an image: even a crafted one cannot run as a page.
      if (isMedia) response.setHeader('Content-Security-Policy', mediaContentSecurityPolicy)
      const isImmutable = isMedia || filePath.includes(`${path.sep}_astro${path.sep}`)
      response.setHeader(
        'Cache-Control',
        isImmutable ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate',
      )
    },
  })
  return createServer((request, response) => {
    for (const [name, value] of Object.entries(siteSecurityHeaders)) response.setHeader(name, value)
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('只读站点')
      return
    }
    void answer({ request, response }).catch((err: unknown) => {
      console.error('site server: could not answer', request.url, err)
      if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end()
    })
  })

  async function answer({ request, response }: { request: IncomingMessage; response: ServerResponse }) {
    const url = new URL(request.url ?? '/', 'http://site')
    // The redirect list is the server's, not a page (static hosts hide theirs too).
    if (url.pathname === `/${REDIRECTS_FILE}`) return notFound({ root, request, response })
    const target = await redirectFor(url.pathname)
    if (target) {
      // A story's former address: moved for good, its links and rankings go to the new one.
      response
        .writeHead(301, { Location: `${target}${url.search}`, 'Cache-Control': 'public, max-age=3600' })
        .end()
      return
    }
    serve(request, response, () => {
      void notFound({ root, request, response })
    })
  }
}

async function notFound({
  root,
  request,
  response,
}: {
  root: string
  request: IncomingMessage
  response: ServerResponse
}) {
  if (!existsSync(root)) {
    response
      .writeHead(503, {
        'Content-Type': 'text/html; charset=utf-8',
        'Retry-After': '5',
        'Cache-Control': 'no-store',
      })
      .end(
        '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>网站正在生成</title><p>网站正在生成，请几秒后刷新。</p></html>',
      )
    return
  }
  const page = await readFile(path.join(root, '404.html')).catch(() => Buffer.from('404'))
  response.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' })
  response.end(request.method === 'HEAD' ? undefined : page)
}
