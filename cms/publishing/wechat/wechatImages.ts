import sharp from 'sharp'
import { rendition } from '../../channels/picture.ts'
import { mediaFiles } from '../../lib/mediaFiles.ts'
import { WechatExportError } from './exportError.ts'
import type { WechatPicture } from './wechatStory.ts'

/**
 * The pictures WeChat takes. A body image (`media/uploadimg`) must be a JPG or PNG under 1 MB
 * and WeChat shows it at most 1080 px wide on any phone; the cover is shown cut to 2.35:1 in
 * the feed and to 1:1 in a shared card, 900×383 being the size WeChat recommends.
 */
export const wechatImageSizes = {
  bodyMaxWidth: 1080,
  /** Strictly less than this many bytes. */
  bodyMaxBytes: 1024 * 1024,
  cover: { width: 900, height: 383 },
  thumb: { width: 400, height: 400 },
} as const

/** A JPEG made for WeChat. */
export interface WechatJpeg {
  bytes: Buffer
  width: number
  height: number
  quality: number
}

/** A rectangle of an image, in pixels. */
export interface PixelCrop {
  left: number
  top: number
  width: number
  height: number
}

/** The cover as WeChat shows it: its two cuts, and where they lie in the picture uploaded. */
export interface WechatCover {
  /** 2.35:1 at 900×383. */
  wide: WechatJpeg
  /** 1:1 at 400×400. */
  square: WechatJpeg
  /** `X1_Y1_X2_Y2`, 0–1 of the uploaded picture: draft/add's pic_crop_235_1. */
  crop235: string
  /** draft/add's pic_crop_1_1. */
  crop11: string
}

const QUALITIES = [85, 80, 75, 70, 65, 60, 55, 50, 45, 40] as const

/**
 * The original of a picture, as the media library keeps it (the folder `mediaDir`, or the
 * bucket when HONGYAN_S3_BUCKET is set; else the largest rendition, as print does); a missing
 * file is refused with its name.
 */
export async function pictureSource({
  picture,
  mediaDir,
}: {
  picture: WechatPicture
  mediaDir: string
}): Promise<Buffer> {
  const filename = picture.media.filename ?? rendition({ image: picture.image, name: 'hero' })?.filename
  const files = mediaFiles({ mediaDir })
  const source = filename ? await files.read({ filename }) : null
  if (!source) {
    throw new WechatExportError({
      zh: `图片文件 ${filename ?? `（图片 ${picture.image.id}）`} 不在 ${files.where}`,
      en: `the image file ${filename ?? `of media ${picture.image.id}`} is missing from ${files.where}`,
      status: 422,
    })
  }
  return source
}

/**
 * A picture for the body of an article: upright, on white where it was transparent, at most
 * 1080 px wide (never enlarged), as a JPEG under 1 MB: quality 85, lowered step by step to 40
 * until it fits. One that does not fit even then is refused with its size.
 */
export async function wechatBodyImage({
  source,
  label,
}: {
  source: string | Buffer
  label: string
}): Promise<WechatJpeg> {
  const upright = sharp(source)
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize({ width: wechatImageSizes.bodyMaxWidth, withoutEnlargement: true })
  let smallest = 0
  for (const quality of QUALITIES) {
    const { data, info } = await upright.clone().jpeg({ quality }).toBuffer({ resolveWithObject: true })
    if (data.length < wechatImageSizes.bodyMaxBytes)
      return { bytes: data, width: info.width, height: info.height, quality }
    smallest = data.length
  }
  const kb = Math.ceil(smallest / 1024)
  throw new WechatExportError({
    zh: `图片 ${label} 压到质量 ${QUALITIES.at(-1)} 仍有 ${kb} KB，公众号正文图片须小于 1 MB，请换一张或裁小`,
    en: `image ${label} is still ${kb} KB at quality ${QUALITIES.at(-1)}; WeChat takes body images under 1 MB`,
    status: 422,
  })
}

/**
 * The cover's two cuts from `picture` (the JPEG uploaded as the cover), each the largest
 * rectangle of its shape centred on the focal point (percentages, the centre when unset) and
 * kept inside the picture; `crop235` and `crop11` say the same rectangles to WeChat, so what
 * WeChat shows is what the export holds.
 */
export async function wechatCover({
  picture,
  focalX,
  focalY,
}: {
  picture: WechatJpeg
  focalX?: number | null
  focalY?: number | null
}): Promise<WechatCover> {
  const focus = { focalX: focalX ?? 50, focalY: focalY ?? 50 }
  const size = { width: picture.width, height: picture.height }
  const { cover, thumb } = wechatImageSizes
  const wideCrop = focalCrop({ ...size, ...focus, ratio: cover.width / cover.height })
  const squareCrop = focalCrop({ ...size, ...focus, ratio: 1 })
  return {
    wide: await cut({ picture, crop: wideCrop, ...cover }),
    square: await cut({ picture, crop: squareCrop, ...thumb }),
    crop235: normalisedCrop({ crop: wideCrop, ...size }),
    crop11: normalisedCrop({ crop: squareCrop, ...size }),
  }
}

/**
 * The largest `ratio` (width / height) rectangle of a `width`×`height` picture whose centre is
 * as near the focal point (`focalX`, `focalY`: 0–100 of the width and height) as the edges allow.
 */
export function focalCrop({
  width,
  height,
  ratio,
  focalX,
  focalY,
}: {
  width: number
  height: number
  ratio: number
  focalX: number
  focalY: number
}): PixelCrop {
  const isWider = width / height > ratio
  const cropWidth = isWider ? Math.max(1, Math.round(height * ratio)) : width
  const cropHeight = isWider ? height : Math.max(1, Math.round(width / ratio))
  const centre = (focal: number, extent: number, cropExtent: number) => {
    const at = Math.round((clamp(focal, 0, 100) / 100) * extent - cropExtent / 2)
    return clamp(at, 0, extent - cropExtent)
  }
  return {
    left: centre(focalX, width, cropWidth),
    top: centre(focalY, height, cropHeight),
    width: cropWidth,
    height: cropHeight,
  }
}

/** A crop as WeChat's `X1_Y1_X2_Y2`: corners in 0–1 of the picture, at most six decimals. */
export function normalisedCrop({
  crop,
  width,
  height,
}: {
  crop: PixelCrop
  width: number
  height: number
}): string {
  const fraction = (value: number, extent: number) => String(Number((value / extent).toFixed(6)))
  return [
    fraction(crop.left, width),
    fraction(crop.top, height),
    fraction(crop.left + crop.width, width),
    fraction(crop.top + crop.height, height),
  ].join('_')
}

async function cut({
  picture,
  crop,
  width,
  height,
}: {
  picture: WechatJpeg
  crop: PixelCrop
  width: number
  height: number
}): Promise<WechatJpeg> {
  const quality = 85
  const bytes = await sharp(picture.bytes)
    .extract(crop)
    .resize({ width, height, fit: 'fill' })
    .jpeg({ quality })
    .toBuffer()
  return { bytes, width, height, quality }
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value))
