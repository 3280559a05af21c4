import { randomUUID } from 'node:crypto'
import { copyFile, link, lstat, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises'
import path from 'node:path'

/**
 * The media the published stories show live in `<dist>/site-media/` (hard links into the
 * media folder, added as stories need them), and every build's `media` is a symlink to it:
 * a build links only the files that are new, not every file of the archive.
 */
const sharedMediaPath = (distDir: string) => path.join(distDir, 'site-media')

export async function shareMedia({
  distDir,
  files,
  from,
  buildDir,
  onMissing,
}: {
  distDir: string
  files: Set<string>
  from: string
  buildDir: string
  /** A file a story shows that is not in the media folder: its image is broken, the build goes on. */
  onMissing: (file: string) => void
}) {
  const shared = sharedMediaPath(distDir)
  await mkdir(shared, { recursive: true })
  const present = new Set(await readdir(shared))
  for (const file of files) {
    if (present.has(file)) continue
    const source = path.join(from, path.basename(file))
    const target = path.join(shared, path.basename(file))
    try {
      await link(source, target)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EXDEV' || code === 'EPERM') {
        // Across file systems: copied under a hidden name, then renamed (readers see it whole).
        const temporary = path.join(shared, `.${path.basename(file)}.${randomUUID().slice(0, 8)}`)
        await copyFile(source, temporary)
        await rename(temporary, target)
      } else if (code === 'ENOENT') onMissing(source)
      else if (code !== 'EEXIST') throw err
    }
  }
  if (!(await lstat(path.join(buildDir, 'media')).catch(() => null)))
    await symlink(path.relative(buildDir, shared), path.join(buildDir, 'media'), 'dir')
}

/** Removes from the shared media the files no published story shows any more (withdrawn stories' images). */
export async function unshareMedia({ distDir, keep }: { distDir: string; keep: Set<string> }) {
  const shared = sharedMediaPath(distDir)
  for (const file of await readdir(shared))
    if (!keep.has(file)) await rm(path.join(shared, file), { force: true })
}
