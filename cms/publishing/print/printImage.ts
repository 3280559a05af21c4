import type { Payload } from 'payload'
import sharp from 'sharp'
import { rendition } from '../../channels/picture.ts'
import type { PlatedImage } from '../../channels/types.ts'
import { mediaFiles } from '../../lib/mediaFiles.ts'
import type { Media } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { ColumnIssueError, type IssueFit } from './columnFit.ts'

export const PRINT_DPI = 300

/**
 * A picture for the print desk: the largest rendition made from the original (or the
 * original), at the column's image width and 300 dpi, as a grayscale or CMYK JPEG.
 */
export async function printImage({
  payload,
  image,
  column,
  mediaDir,
}: {
  payload: Payload
  image: PlatedImage
  column: IssueFit['column']
  /** The media folder (the bucket instead when HONGYAN_S3_BUCKET is set). */
  mediaDir: string
}): Promise<Buffer> {
  const media = (await payload.findByID({
    collection: collectionSlugs.media,
    id: image.id,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })) as Media | null
  const filename = media?.filename ?? rendition({ image, name: 'hero' })?.filename
  const files = mediaFiles({ mediaDir })
  const source = filename ? await files.read({ filename }) : null
  if (!source) {
    throw new ColumnIssueError({
      message: `the image file ${filename ?? `of media ${image.id}`} is missing from ${files.where}`,
      status: 422,
    })
  }
  const widthPx = Math.round(((column.geometry?.imageWidthMm ?? 80) / 25.4) * PRINT_DPI)
  const pipeline = sharp(source).rotate().resize({ width: widthPx, withoutEnlargement: false })
  const coloured =
    column.geometry?.colourMode === 'cmyk'
      ? pipeline.toColourspace('cmyk')
      : pipeline.grayscale().toColourspace('b-w')
  return coloured.withDensity(PRINT_DPI).jpeg({ quality: 90 }).toBuffer()
}
