import { type CollectionAfterChangeHook, type FileSize, FileUploadError, type PayloadRequest } from 'payload'
import type { MediaFiles } from '../../../lib/mediaFiles.ts'

type IncomingFile = { filename: string; from: Buffer | { path: string }; contentType: string }
type StoredSizes = Record<string, Partial<FileSize> | null | undefined>

/**
 * An upload's files (the original and every rendition) into the bucket, once the media row
 * is written and before it is committed: a row whose write failed never has objects. The
 * uploads all finish (or fail) before anything is decided; if any failed, every one of them
 * is removed and the save fails, so a failed upload leaves no object behind. (What a crash
 * between upload and commit leaves, the worker's orphan sweep removes.) The original goes up
 * as a stream from its temporary file when there is one. A replaced file's old objects are
 * removed once the new ones are in.
 */
export function storeUploadInBucket({ files }: { files: MediaFiles }): CollectionAfterChangeHook {
  return async ({ doc, previousDoc, operation, req }) => {
    if (req.context?.skipCloudStorage) return doc
    const incoming = incomingFiles({ doc, req })
    if (incoming.length === 0) return doc
    const results = await Promise.allSettled(incoming.map((file) => files.write(file)))
    const failure = results.find((result) => result.status === 'rejected')
    if (failure) {
      const removals = await Promise.allSettled(incoming.map((file) => files.remove(file)))
      req.payload.logger.error({
        err: failure.reason,
        msg: `media ${doc.filename}: an upload to ${files.where} failed; its ${incoming.length} objects were removed`,
      })
      for (const removal of removals)
        if (removal.status === 'rejected')
          req.payload.logger.error({
            err: removal.reason,
            msg: `media ${doc.filename}: an object was not removed`,
          })
      throw new FileUploadError(req.t)
    }
    if (operation === 'update' && previousDoc) {
      const kept = new Set(incoming.map((file) => file.filename))
      const replaced = namesOf(previousDoc).filter((name) => !kept.has(name))
      await Promise.all(replaced.map((filename) => files.remove({ filename })))
    }
    return doc
  }
}

/** The original (from `req.file`, or as the storage plugin kept it) and the renditions made. */
function incomingFiles({ doc, req }: { doc: Record<string, unknown>; req: PayloadRequest }): IncomingFile[] {
  const kept = req.context?._payloadCloudStorage as
    | { file?: PayloadRequest['file']; uploadSizes?: Record<string, Buffer> }
    | undefined
  const file = req.file ?? kept?.file
  const sizes = req.payloadUploadSizes ?? kept?.uploadSizes
  if (!file || typeof doc.filename !== 'string' || typeof doc.mimeType !== 'string') return []
  const isOnDisk = Boolean(file.tempFilePath) && (!file.data || file.data.length === 0)
  const original: IncomingFile = {
    filename: doc.filename,
    from: isOnDisk ? { path: file.tempFilePath as string } : file.data,
    contentType: doc.mimeType,
  }
  const renditions = Object.entries((doc.sizes ?? {}) as StoredSizes).flatMap(([name, size]) => {
    const bytes = sizes?.[name]
    return bytes && size?.filename && size.mimeType
      ? [{ filename: size.filename, from: bytes, contentType: size.mimeType }]
      : []
  })
  return [original, ...renditions]
}

function namesOf(doc: Record<string, unknown>): string[] {
  const names = typeof doc.filename === 'string' ? [doc.filename] : []
  for (const size of Object.values((doc.sizes ?? {}) as StoredSizes))
    if (size?.filename) names.push(size.filename)
  return names
}
