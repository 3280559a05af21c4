import type { Payload } from 'payload'
import sharp from 'sharp'
import { mediaFiles } from '../../lib/mediaFiles.ts'
import type { Media } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { TvEpisodeError } from './episodeFit.ts'

/** A still's frame: full HD, 16:9. */
export const STILL_WIDTH = 1920
export const STILL_HEIGHT = 1080

/**
 * An image of a story as a still for the TV edit: the original from the media library, cut to 16:9
 * around the image's focal point (what the editor marked as the subject stays in frame), at
 * 1920×1080 as an sRGB JPEG. A missing image or file is refused (422), naming it.
 */
export async function tvStill({
  payload,
  media,
  mediaDir,
}: {
  payload: Payload
  /** The image as a story holds it: populated, or only its id. */
  media: Media | number
  /** The media folder (the bucket instead when HONGYAN_S3_BUCKET is set). */
  mediaDir: string
}): Promise<Buffer> {
  const doc =
    typeof media === 'object'
      ? media
      : ((await payload.findByID({
          collection: collectionSlugs.media,
          id: media,
          depth: 0,
          overrideAccess: true,
          disableErrors: true,
        })) as Media | null)
  if (!doc?.filename)
    throw new TvEpisodeError({
      message: `image ${typeof media === 'object' ? media.id : media} no longer exists`,
      status: 422,
    })
  const files = mediaFiles({ mediaDir })
  const source = await files.read({ filename: doc.filename })
  if (!source)
    throw new TvEpisodeError({
      message: `the image file ${doc.filename} is missing from ${files.where}`,
      status: 422,
    })
  return renderStill({ source, focalX: doc.focalX, focalY: doc.focalY })
}

/** The still of the image `source` (a file or its bytes), cut around the focal point (percent, default the centre). */
export async function renderStill({
  source,
  focalX,
  focalY,
}: {
  source: string | Buffer
  focalX?: number | null
  focalY?: number | null
}): Promise<Buffer> {
  const { autoOrient } = await sharp(source).metadata()
  const crop = focalCrop({
    width: autoOrient.width,
    height: autoOrient.height,
    focalX: focalX ?? 50,
    focalY: focalY ?? 50,
    aspect: STILL_WIDTH / STILL_HEIGHT,
  })
  return sharp(source)
    .autoOrient()
    .extract(crop)
    .resize({ width: STILL_WIDTH, height: STILL_HEIGHT, fit: 'fill' })
    .flatten({ background: '#000000' })
    .toColourspace('srgb')
    .jpeg({ quality: 90 })
    .toBuffer()
}

/**
 * The largest `aspect` box inside a `width`×`height` image centred on the focal point (given
 * in percent of each side), moved inwards where it would cross an edge.
 */
export function focalCrop({
  width,
  height,
  focalX,
  focalY,
  aspect,
}: {
  width: number
  height: number
  focalX: number
  focalY: number
  aspect: number
}): { left: number; top: number; width: number; height: number } {
  const isWider = width / height > aspect
  const cropWidth = Math.max(1, isWider ? Math.round(height * aspect) : width)
  const cropHeight = Math.max(1, isWider ? height : Math.round(width / aspect))
  const clamp = (value: number, max: number) => Math.min(Math.max(0, Math.round(value)), max)
  return {
    left: clamp((focalX / 100) * width - cropWidth / 2, width - cropWidth),
    top: clamp((focalY / 100) * height - cropHeight / 2, height - cropHeight),
    width: cropWidth,
    height: cropHeight,
  }
}
