import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { REDIRECTS_FILE } from './redirects.ts'

/**
 * The files of a built site as objects for a bucket: each file's key (its path in the build,
 * `/`-separated), the sha256 of its bytes, and the headers it is served with.
 */
export type SiteObject = {
  key: string
  file: string
  sha256: string
  bytes: number
}

/**
 * Left out of the bucket: the redirect list is the site server's, never a page (redirect pages
 * stand at the former addresses).
 */
const NOT_DEPLOYED = new Set([REDIRECTS_FILE])

/**
 * A file's hash by its key, as long as it is the same file (inode, size, time): a worker
 * deploying again and again hashes only the pages a build wrote since, not the archive.
 */
const known = new Map<string, { stamp: string; sha256: string }>()

/** Every file of the build folder (following its `media` link), hashed, in key order. */
export async function siteObjects({ buildDir }: { buildDir: string }): Promise<SiteObject[]> {
  const objects: SiteObject[] = []
  for (const { key, file } of await filesUnder({ dir: buildDir, prefix: '' })) {
    const info = await stat(file)
    const stamp = `${info.ino}:${info.size}:${info.mtimeMs}`
    let sha256 = known.get(key)?.stamp === stamp ? known.get(key)?.sha256 : undefined
    if (!sha256) {
      sha256 = await sha256Of(file)
      known.set(key, { stamp, sha256 })
    }
    objects.push({ key, file, sha256, bytes: info.size })
  }
  return objects.sort((a, b) => (a.key < b.key ? -1 : 1))
}

/** Files by key; a symlinked folder (the shared `media`) is followed, hidden names skipped. */
async function filesUnder({ dir, prefix }: { dir: string; prefix: string }) {
  const found: { key: string; file: string }[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // Hidden: a file being written under its temporary name (pageFiles.mjs), never a page.
    if (entry.name.startsWith('.')) continue
    const key = `${prefix}${entry.name}`
    if (NOT_DEPLOYED.has(key)) continue
    const file = path.join(dir, entry.name)
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(file)).isDirectory())
    if (isDir) found.push(...(await filesUnder({ dir: file, prefix: `${key}/` })))
    else found.push({ key, file })
  }
  return found
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
  webmanifest: 'application/manifest+json',
}

/** Feeds get their own media types, as the site server sends them. */
const FEED_TYPES: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
}

export function contentTypeOf(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1)
  return (
    FEED_TYPES[name] ??
    TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ??
    'application/octet-stream'
  )
}

/** Text is stored gzipped (Content-Encoding: gzip): a tenth of the bytes to upload and to serve. */
export function isCompressible(key: string): boolean {
  return /^(text\/|application\/(xml|json|rss|atom|feed|manifest)|image\/svg)/.test(contentTypeOf(key))
}

/** Cached for a minute at most. */
export const SHORT_CACHE = 'public, max-age=60'
/** Never changes under its name. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'

/**
 * Astro's assets carry their content's hash in their names, and the site server already serves
 * them and the media as immutable; pages, lists, feeds and sitemaps change under their names,
 * so a CDN asks again within a minute.
 */
export function cacheControlOf(key: string): string {
  return key.startsWith('_astro/') || key.startsWith('media/') ? IMMUTABLE_CACHE : SHORT_CACHE
}
