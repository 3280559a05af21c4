import { lstat, mkdir, readdir, rm, symlink } from 'node:fs/promises'
import path from 'node:path'
import { mediaFiles } from '../../lib/mediaFiles.ts'

/**
 * The media the published stories show live in `<dist>/site-media/` (hard links into the
 * media folder, or copies downloaded from the media bucket when HONGYAN_S3_BUCKET is set,
 * added as stories need them), and every build's `media` is a symlink to it:
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
  /** A file a story shows that is not in the media folder (or bucket): its image is broken, the build goes on. */
  onMissing: (file: string) => void
}) {
  const shared = sharedMediaPath(distDir)
  await mkdir(shared, { recursive: true })
  const present = new Set(await readdir(shared))
  const media = mediaFiles({ mediaDir: from })
  for (const file of files) {
    const name = path.basename(file)
    if (present.has(name)) continue
    const isPlaced = await media
      .placeAt({ filename: name, target: path.join(shared, name) })
      .catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return true
        throw err
      })
    if (!isPlaced) onMissing(`${media.where}${media.kind === 'folder' ? path.sep : ''}${name}`)
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
