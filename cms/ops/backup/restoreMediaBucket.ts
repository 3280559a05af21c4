import { createHash } from 'node:crypto'
import path from 'node:path'
import type { MediaFiles } from '../../lib/mediaFiles.ts'
import { type Manifest, MEDIA_FOLDER } from './archive.ts'

/** The content types the media library stores, by extension (the upload guard names files so). */
const contentTypes: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
}

/** A restore goes into an empty bucket only: it never mixes two sites' media. */
export async function refuseFilledBucket({ bucket }: { bucket: MediaFiles }): Promise<void> {
  const objects = await bucket.list()
  if (objects.length > 0)
    throw new Error(
      `the media bucket ${bucket.where} is not empty (${objects.length} objects): restore into an empty bucket`,
    )
}

/**
 * Uploads the archive's media (unpacked in `from`, already checked against the manifest) into
 * the bucket, then reads every object back and checks it against the manifest's sha256. On any
 * failure the objects this restore wrote are removed again (the bucket was empty) and it throws.
 * Returns how many objects were written.
 */
export async function uploadMedia({
  bucket,
  manifest,
  from,
}: {
  bucket: MediaFiles
  manifest: Manifest
  from: string
}): Promise<number> {
  await refuseFilledBucket({ bucket })
  const prefix = `${MEDIA_FOLDER}/`
  const files = manifest.files.filter((file) => file.path.startsWith(prefix))
  const written: string[] = []
  try {
    for (const file of files) {
      const filename = file.path.slice(prefix.length)
      written.push(filename)
      await bucket.write({
        filename,
        from: { path: path.join(from, filename) },
        contentType: contentTypes[path.extname(filename).toLowerCase()] ?? 'application/octet-stream',
      })
      const stored = await bucket.read({ filename })
      const sha256 = stored ? createHash('sha256').update(stored).digest('hex') : 'missing'
      if (sha256 !== file.sha256)
        throw new Error(`the object ${bucket.where}${filename} does not match the archive (sha256 ${sha256})`)
    }
    return files.length
  } catch (err) {
    await Promise.allSettled(written.map((filename) => bucket.remove({ filename })))
    throw err
  }
}
