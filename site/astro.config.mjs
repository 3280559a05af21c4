import { defineConfig, passthroughImageService } from 'astro/config'
import hongyanRenderer from './renderer/adapter.mjs'

/**
 * Astro compiles the site into a renderer (`site/dist/`): a server bundle that renders one
 * page from the data the site build hands it, and the client assets. The site build
 * (`cms/publishing/site/buildSite.ts`) renders with it only the pages a change touches and
 * writes them as static files; see docs/site-build.md.
 */
export default defineConfig({
  site: process.env.HONGYAN_SITE_URL ?? 'http://localhost:4321',
  output: 'server',
  // `npm run build` builds into a fresh folder and swaps it in (cms/publishing/site/renderer.ts).
  outDir: process.env.HONGYAN_RENDERER_OUT_DIR ?? './dist',
  adapter: hongyanRenderer(),
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
  // Images are the kitchen's renditions; Astro transforms none.
  image: { service: passthroughImageService() },
  // Scripts as files, never inline, so the site's CSP can forbid inline script.
  vite: { build: { assetsInlineLimit: 0 } },
})
