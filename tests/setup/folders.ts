import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

// Runs in each test file's process before the file is imported: cms/paths.ts reads these
// on import, so no test, whatever it imports first, writes into the project's media/ or dist/.
const mediaDir = mkdtempSync(path.join(tmpdir(), 'hongyan-test-media-'))
const distDir = mkdtempSync(path.join(tmpdir(), 'hongyan-test-dist-'))
process.env.HONGYAN_MEDIA_DIR = mediaDir
process.env.HONGYAN_DIST_DIR = distDir

afterAll(() => {
  rmSync(mediaDir, { recursive: true, force: true })
  rmSync(distDir, { recursive: true, force: true })
})
