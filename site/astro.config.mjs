import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sitemap from '@astrojs/sitemap'
import { defineConfig } from 'astro/config'

/**
 * Built by `npm run build:site` (scripts/buildSite.ts), which serves the kitchen's plate to
 * the loader and chooses the output folder; see the README's "The website".
 */
const site = process.env.HONGYAN_SITE_URL ?? 'http://localhost:4321'
const outDir = process.env.HONGYAN_SITE_OUT_DIR ?? '../dist/site-draft'
// The content layer's cache lives with the builds it serves, so separate dist folders
// (tests, several checkouts) never share one.
const cacheDir =
  process.env.HONGYAN_ASTRO_CACHE_DIR ?? fileURLToPath(new URL('../dist/astro-cache/', import.meta.url))

export default defineConfig({
  site,
  outDir,
  cacheDir,
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
  // Story pages whose cacheKey (a digest of everything they render) and code are unchanged
  // are copied from the last build's cache in cacheDir instead of rendered again.
  experimental: { incrementalBuild: true },
  // Scripts as files, never inline, so the site's CSP can forbid inline script.
  vite: { cacheDir: path.join(cacheDir, 'vite'), build: { assetsInlineLimit: 0 } },
  integrations: [
    sitemap({
      filter: (page) => !page.endsWith('/search/') && !page.endsWith('/404/'),
    }),
  ],
})
