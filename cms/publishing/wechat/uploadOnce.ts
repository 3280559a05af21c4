import { createHash } from 'node:crypto'
import type { Payload } from 'payload'
import type { WechatAsset } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'

/** An image as WeChat holds it: its URL, and the media_id of a permanent one. */
export interface UploadedImage {
  url: string
  mediaId: string | null
  /** False when an earlier push had uploaded the same bytes already. */
  isNew: boolean
}

/**
 * The image `bytes` uploaded to the account once: an earlier upload of the same bytes for the
 * same purpose (wechat-assets, keyed `appId:purpose:sha256`) is reused, and a new one is
 * recorded as soon as WeChat took it, so a push that fails later uploads nothing twice when
 * it is tried again.
 */
export async function uploadOnce({
  payload,
  appId,
  purpose,
  bytes,
  media,
  upload,
}: {
  payload: Payload
  appId: string
  purpose: WechatAsset['purpose']
  bytes: Uint8Array
  /** The media library's image it was made from. */
  media: number
  upload: () => Promise<{ url: string; mediaId?: string }>
}): Promise<UploadedImage> {
  const key = `${appId}:${purpose}:${createHash('sha256').update(bytes).digest('hex')}`
  const known = await findAsset({ payload, key })
  // A cover is of use only with its permanent media_id.
  if (known?.url && (purpose === 'body' || known.mediaId))
    return { url: known.url, mediaId: known.mediaId ?? null, isNew: false }
  const uploaded = await upload()
  const data = { key, appId, purpose, image: media, url: uploaded.url, mediaId: uploaded.mediaId ?? null }
  try {
    if (known)
      await payload.update({
        collection: collectionSlugs.wechatAssets,
        id: known.id,
        data,
        overrideAccess: true,
      })
    else await payload.create({ collection: collectionSlugs.wechatAssets, data, overrideAccess: true })
  } catch (err) {
    // Another push recorded the same bytes meanwhile (the key is unique): theirs serves as well.
    if (!(await findAsset({ payload, key }))) throw err
  }
  return { url: uploaded.url, mediaId: uploaded.mediaId ?? null, isNew: true }
}

async function findAsset({
  payload,
  key,
}: {
  payload: Payload
  key: string
}): Promise<WechatAsset | undefined> {
  const { docs } = await payload.find({
    collection: collectionSlugs.wechatAssets,
    where: { key: { equals: key } },
    depth: 0,
    limit: 1,
    pagination: false,
    overrideAccess: true,
  })
  return docs[0]
}
