import sitemap from '@astrojs/sitemap'
import { defineConfig } from 'astro/config'

/**
 * Built by `npm run build:site` (scripts/buildSite.ts), which serves the kitchen's plate to
 * the loader and chooses the output folder; see the README's "The website".
 */
const site = process.env.HONGYAN_SITE_URL ?? 'http://localhost:4321'
const outDir = process.env.HONGYAN_SITE_OUT_DIR ?? '../dist/site-draft'

export default defineConfig({
  site,
  outDir,
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
  // Scripts as files, never inline, so the site's CSP can forbid inline script.
  vite: { build: { assetsInlineLimit: 0 } },
  integrations: [
    sitemap({
      filter: (page) => !page.endsWith('/search/') && !page.endsWith('/404/'),
    }),
  ],
})
