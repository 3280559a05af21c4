import { s3Storage } from '@payloadcms/storage-s3'
import type { CollectionAfterChangeHook, Config, Plugin } from 'payload'
import { MEDIA_KEY_PREFIX, mediaBucket } from '../../lib/mediaFiles.ts'
import { objectStorageSettings } from '../../lib/objectStorage.ts'
import { collectionSlugs } from '../../slugs.ts'
import { originalFromBucket } from './hooks/originalFromBucket.ts'
import { storeUploadInBucket } from './hooks/storeUploadInBucket.ts'

/**
 * The media library on S3-compatible object storage when `HONGYAN_S3_BUCKET` is set, through
 * Payload's storage adapter (@payloadcms/storage-s3): uploads and every rendition go to the
 * bucket under `media/` and nothing to the local folder (`disableLocalStorage`); files are
 * still served by `/api/media/file/<name>` under the collection's read access (only staff,
 * or a published story's images for the site), streamed from the bucket by the adapter.
 * `HONGYAN_S3_PUBLIC_URL` (a CDN or the bucket's public address) makes the documents' `url`
 * point there instead: for a bucket readers may read directly.
 *
 * Without a bucket the plugin is off but keeps its fields (`prefix`, `_objectKey`:
 * `alwaysInsertFields`), so the schema, and the migrations, are the same either way.
 * Uploads come only through the kitchen (`clientUploads` off): a browser never writes to the
 * bucket, and every file passes the upload guard.
 *
 * An admin crop or new focal point remakes the renditions from the original read from the
 * bucket (`originalFromBucket`), not fetched from the kitchen's own URL.
 *
 * The adapter's own upload hook is replaced by `storeUploadInBucket` (same object keys): it
 * uploads with `Promise.all`, so one failed upload leaves the others running and their
 * objects behind, and it saves the whole document a second time (for metadata the S3
 * adapter does not return), which audited and rebuilt every upload twice.
 */
export function mediaStorage({
  env = process.env,
}: {
  env?: Record<string, string | undefined>
} = {}): Plugin {
  const settings = objectStorageSettings(env)
  const bucket = settings?.mediaBucket
  const publicUrl = settings?.mediaPublicUrl
  const adapter = s3Storage({
    enabled: Boolean(bucket),
    alwaysInsertFields: true,
    bucket: bucket ?? '',
    config: settings?.client ?? {},
    clientUploads: false,
    collections: {
      [collectionSlugs.media]: {
        prefix: MEDIA_KEY_PREFIX,
        ...(publicUrl
          ? {
              generateFileURL: ({ filename, prefix }) =>
                [publicUrl, prefix, encodeURIComponent(filename)].filter(Boolean).join('/'),
            }
          : {}),
      },
    },
  })
  if (!settings || !bucket) return adapter
  const files = mediaBucket({ settings, bucket })
  const store = storeUploadInBucket({ files })
  const original = originalFromBucket({ files })
  return async (incoming: Config) => {
    const configured = await adapter(incoming)
    const before = incoming.collections?.find((collection) => collection.slug === collectionSlugs.media)
    const ownHooks = before?.hooks?.afterChange ?? []
    return {
      ...configured,
      collections: configured.collections?.map((collection) => {
        if (collection.slug !== collectionSlugs.media) return collection
        const hooks: CollectionAfterChangeHook[] = collection.hooks?.afterChange ?? []
        const added = hooks.slice(ownHooks.length)
        if (added.length !== 1)
          throw new Error(`the S3 storage plugin added ${added.length} afterChange hooks to media, not one`)
        return {
          ...collection,
          hooks: {
            ...collection.hooks,
            // Before the upload guard, which checks (and renames) the original read from the bucket.
            beforeOperation: [original, ...(collection.hooks?.beforeOperation ?? [])],
            afterChange: [...ownHooks, store],
          },
        }
      }),
    }
  }
}
