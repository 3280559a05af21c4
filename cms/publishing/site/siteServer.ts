import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import path from 'node:path'
import { mediaContentSecurityPolicy } from '../../security/headers.ts'
import { type RefusalArgs, refusalAnswer } from '../../security/refusal.ts'
import { liveSitePath } from './buildFolders.ts'
import { REDIRECTS_FILE, redirectsOf } from './redirects.ts'
import { serveFile } from './serveFile.ts'

/**
 * What the site may do in a browser: its own scripts, inline styles (Astro inlines the
 * stylesheet), its own images, requests to its own origin (search) and to the search
 * endpoint's when it is elsewhere (HONGYAN_SEARCH_URL), nothing framed.
 */
export function siteSecurityHeaders({ searchUrl }: { searchUrl?: string } = {}) {
  const searchOrigin = searchUrl && URL.canParse(searchUrl) ? ` ${new URL(searchUrl).origin}` : ''
  return {
    'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'${searchOrigin}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
  } as const
}

/** The path the site's search page asks on its own origin (site/planner's DEFAULT_SEARCH_API). */
const SEARCH_PATH = '/api/search'

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
 * with a 301 to its current one (the build's `_redirects`). `GET /api/search` is forwarded to
 * the kitchen's search endpoint (`kitchenSearchUrl`), so the search page asks its own origin.
 */
export function createSiteServer({
  distDir,
  kitchenSearchUrl,
  searchUrl = process.env.HONGYAN_SEARCH_URL,
}: {
  distDir: string
  /** The kitchen's `/api/search` as this host reaches it; none: `/api/search` is not found. */
  kitchenSearchUrl?: string
  /** Where the built pages ask for search when not on this origin (allowed by the CSP). */
  searchUrl?: string
}): Server {
  const securityHeaders = siteSecurityHeaders({ searchUrl })
  const root = liveSitePath(distDir)
  const redirectFor = redirectsOf({ root })
  const setHeaders = (response: ServerResponse, filePath: string) => {
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
  }
  return createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value)
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
    if (url.pathname === SEARCH_PATH && kitchenSearchUrl)
      return forwardSearch({ from: url, to: kitchenSearchUrl, request, response })
    const target = await redirectFor(url.pathname)
    if (target) {
      // A story's former address: moved for good, its links and rankings go to the new one.
      response
        .writeHead(301, { Location: `${target}${url.search}`, 'Cache-Control': 'public, max-age=3600' })
        .end()
      return
    }
    // The redirect list is the server's, not a page (static hosts hide theirs too).
    if (!(await serveFile({ root, request, response, setHeaders, hidden: [REDIRECTS_FILE] })))
      await notFound({ root, request, response })
  }
}

const searchUnavailable: RefusalArgs = {
  code: 'unavailable',
  reason: {
    en: 'Search is not answering right now; try again in a few seconds',
    zh: '搜索暂时无法使用，请几秒后重试',
  },
  headers: { 'Retry-After': '5' },
}

/** The kitchen's answer to a search, status, caching and body as they are. */
async function forwardSearch({
  from,
  to,
  request,
  response,
}: {
  from: URL
  to: string
  request: IncomingMessage
  response: ServerResponse
}) {
  const answer = await fetch(`${to}${from.search}`, { signal: AbortSignal.timeout(10_000) }).catch(
    (err: unknown) => {
      console.error('site server: the kitchen did not answer a search', err)
      return null
    },
  )
  if (!answer) {
    const refusal = refusalAnswer(searchUnavailable)
    response.writeHead(refusal.status, refusal.headers).end(refusal.body)
    return
  }
  const headers: Record<string, string> = {}
  for (const name of ['content-type', 'cache-control', 'retry-after'])
    if (answer.headers.has(name)) headers[name] = answer.headers.get(name) as string
  const body = Buffer.from(await answer.arrayBuffer())
  response.writeHead(answer.status, { ...headers, 'Content-Length': String(body.length) })
  response.end(request.method === 'HEAD' ? undefined : body)
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
