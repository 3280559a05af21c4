import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * The project root, found from the working directory rather than `import.meta.url`:
 * bundlers (Next.js, Astro) move this module into their own chunk folders, so a path
 * built from the module's own location would point into a build directory.
 */
export const projectRoot = findProjectRoot({ from: process.env.HONGYAN_ROOT ?? process.cwd() })

export const cmsDir = path.join(projectRoot, 'cms')
export const migrationsDir = path.join(cmsDir, 'migrations')
export const dataDir = path.resolve(projectRoot, process.env.HONGYAN_DATA_DIR ?? '.data')
export const mediaDir = path.resolve(projectRoot, process.env.HONGYAN_MEDIA_DIR ?? 'media')
/** Where uploads over HTTP are streamed to while they are checked and stored (removed after each). */
export const uploadTempDir = path.resolve(
  process.env.HONGYAN_UPLOAD_TEMP_DIR ?? path.join(os.tmpdir(), 'hongyan-uploads'),
)
/** Where `npm run backup` and the worker's scheduled backups write their archives. */
export const backupDir = path.resolve(projectRoot, process.env.HONGYAN_BACKUP_DIR ?? 'backups')

function findProjectRoot({ from }: { from: string }): string {
  let dir = path.resolve(from)
  for (;;) {
    const manifest = path.join(dir, 'package.json')
    if (existsSync(manifest) && readPackageName(manifest) === 'hongyan') return dir
    const parent = path.dirname(dir)
    if (parent === dir) {
      throw new Error(
        `Hongyan's project root was not found above ${from}: run from inside the project or set HONGYAN_ROOT`,
      )
    }
    dir = parent
  }
}

function readPackageName(manifest: string): string | undefined {
  const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'))
  return typeof parsed === 'object' && parsed !== null && 'name' in parsed ? String(parsed.name) : undefined
}
