import type { CollectionBeforeOperationHook } from 'payload'
import type { MediaFiles } from '../../../lib/mediaFiles.ts'
import type { Media } from '../../../payload-types.ts'
import { collectionSlugs } from '../../../slugs.ts'

/**
 * An admin crop, resize or new focal point remakes the renditions from the original. From the
 * local folder Payload reads it itself; with the media in the bucket it would fetch it over HTTP
 * from the kitchen's own `/api/media/file/` (through the proxy, with the editor's cookies).
 * Instead the original is read from the bucket here and handed to Payload as the request's
 * file: it passes the upload guard again and is stored under a new name with new renditions,
 * and the old objects are removed once the new ones are in (storeUploadInBucket).
 */
export function originalFromBucket({ files }: { files: MediaFiles }): CollectionBeforeOperationHook {
  return async ({ args, operation, req }) => {
    if (operation !== 'update' || req.file) return args
    const id = (args as { id?: number | string }).id
    const edits = req.query?.uploadEdits
    if (id == null || !edits || typeof edits !== 'object') return args
    const { crop, focalPoint, heightInPixels, widthInPixels } = edits as Record<string, unknown>
    const doc = (await req.payload.findByID({
      collection: collectionSlugs.media,
      id,
      depth: 0,
      overrideAccess: true,
      req,
    })) as Media
    const focal = focalPoint as { x?: unknown; y?: unknown } | undefined
    const isRefocused =
      focal !== undefined &&
      (Number(focal.x) !== Number(doc.focalX) || Number(focal.y) !== Number(doc.focalY))
    if (!crop && !heightInPixels && !widthInPixels && !isRefocused) return args
    const filename = typeof doc.filename === 'string' ? doc.filename : undefined
    const data = filename ? await files.read({ filename }) : null
    if (!filename || !data)
      throw new Error(`the original ${filename ?? `of media ${id}`} is missing from ${files.where}`)
    req.file = { data, mimetype: String(doc.mimeType), name: filename, size: data.length }
    return args
  }
}
