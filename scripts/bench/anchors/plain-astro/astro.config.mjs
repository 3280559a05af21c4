import { defineConfig } from 'astro/config'

/**
 * The plain Astro anchor (scripts/bench/anchors.ts): Astro's built-in glob() loader over the
 * exported Markdown, one page per story, no integrations. Content, output and caches live in
 * the bench's temp folder, named by the environment.
 */
const cacheDir = process.env.PLAIN_ASTRO_CACHE_DIR ?? './.cache'

export default defineConfig({
  outDir: process.env.PLAIN_ASTRO_OUT_DIR ?? './dist',
  cacheDir,
  build: { format: 'directory' },
  devToolbar: { enabled: false },
  vite: { cacheDir: `${cacheDir}/vite` },
})
