import type { Payload } from 'payload'
import { mediaFiles } from '../lib/mediaFiles.ts'
import { sweepUploadTemp } from '../lib/uploadTempSweep.ts'
import { mediaDir as defaultMediaDir } from '../paths.ts'
import { collectionSlugs } from '../slugs.ts'

/** Files younger than this may belong to an upload still being saved, and are left alone. */
export const ORPHAN_MEDIA_MIN_AGE_MS = 60 * 60 * 1000
/** What one killed upload may leave: the original and its five renditions. */
const FILES_PER_UPLOAD = 6

/**
 * Payload writes an upload's files (the original and every rendition) before it commits the
 * media row: a server killed in between leaves files that no row names, the last one possibly
 * cut off mid-write (in the bucket, objects uploaded by a process that died before its commit).
 * This removes the files in the media folder, or the objects in the media bucket when
 * HONGYAN_S3_BUCKET is set, that no media row references
 * (as its file or as one of its sizes) and that were last written `minAgeMs` ago or more;
 * hidden files (`.gitkeep`) and folders are left alone. Returns the names removed, sorted.
 * The worker runs it when it starts and every hour; each run also empties the upload temp
 * folder of files an hour old (`sweepUploadTemp`).
 *
 * Files no row names when there are no media rows at all, or more of them than one upload
 * makes and most of the folder, are not a crash's leftovers but a process pointed at the
 * wrong database (an empty one, another site's): it removes nothing and says so.
 */
export async function sweepOrphanMedia({
  payload,
  mediaDir = defaultMediaDir,
  minAgeMs = ORPHAN_MEDIA_MIN_AGE_MS,
  now = Date.now(),
}: {
  payload: Payload
  mediaDir?: string
  minAgeMs?: number
  now?: number
}): Promise<string[]> {
  await sweepUploadTemp({ payload })
  // Listed before the rows are read: a file written after this is not considered, and a row
  // committed after its files were listed is read below.
  const media = mediaFiles({ mediaDir })
  const entries = await media.list()
  const candidates = entries.filter((entry) => now - entry.modifiedMs >= minAgeMs).map((entry) => entry.name)
  if (candidates.length === 0) return []
  const referenced = await referencedFiles({ payload })
  const orphans = candidates.filter((name) => !referenced.has(name)).sort()
  const files = entries.length
  const isMostOfIt = orphans.length > FILES_PER_UPLOAD && orphans.length * 2 > files
  if (orphans.length > 0 && (referenced.size === 0 || isMostOfIt)) {
    payload.logger.error({
      msg: `${orphans.length} of the ${files} files in ${media.where} are named by no media row: is this the right database? Nothing was removed`,
    })
    return []
  }
  const removed: string[] = []
  for (const name of orphans) {
    await media.remove({ filename: name })
    removed.push(name)
  }
  if (removed.length > 0)
    payload.logger.warn({
      msg: `removed ${removed.length} media file(s) no media row names: ${removed.join(', ')}`,
    })
  return removed
}

/** Every file name a media row references: its own and those of its sizes. */
async function referencedFiles({ payload }: { payload: Payload }): Promise<Set<string>> {
  const names = new Set<string>()
  const { docs } = await payload.find({
    collection: collectionSlugs.media,
    pagination: false,
    depth: 0,
    overrideAccess: true,
    select: { filename: true, sizes: true },
  })
  for (const doc of docs) {
    if (doc.filename) names.add(doc.filename)
    for (const size of Object.values(doc.sizes ?? {})) {
      const filename = (size as { filename?: string | null } | undefined)?.filename
      if (filename) names.add(filename)
    }
  }
  return names
}
