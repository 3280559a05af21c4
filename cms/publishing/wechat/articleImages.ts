import type { PlatedImage } from '../../channels/types.ts'
import { WechatExportError } from './exportError.ts'
import {
  pictureSource,
  type WechatCover,
  type WechatJpeg,
  wechatBodyImage,
  wechatCover,
} from './wechatImages.ts'
import type { WechatEdition, WechatPicture } from './wechatStory.ts'

/** A body image made for WeChat, and its file in an export folder. */
export interface WechatBodyImage {
  picture: WechatPicture
  /** `images/tu-01.jpg`, in order of first appearance. */
  file: string
  jpeg: WechatJpeg
}

/** Every picture an article needs: its body images and its cover. */
export interface WechatImageSet {
  body: WechatBodyImage[]
  coverPicture: WechatPicture
  /** The whole cover picture as uploaded for thumb_media_id (the crops are of this). */
  coverSource: WechatJpeg
  cover: WechatCover
}

/** Where the export folder keeps the cover's two cuts. */
export const coverFiles = { wide: 'images/cover-2.35x1.jpg', square: 'images/cover-1x1.jpg' } as const

/** The export's file of each body image, by media id: known before any image is made. */
export function bodyImageFiles({ edition }: { edition: WechatEdition }): Map<number, string> {
  return new Map(
    edition.bodyImages.map((picture, index) => [
      picture.image.id,
      `images/tu-${String(index + 1).padStart(2, '0')}.jpg`,
    ]),
  )
}

/** The file a body image is referred to by in an exported article.html. */
export function localImageSrc({ files }: { files: Map<number, string> }): (image: PlatedImage) => string {
  return (image) => files.get(image.id) ?? ''
}

/**
 * The cover of the edition, or a 422 saying that WeChat requires one: an article cannot be
 * saved as a draft without a cover image, and this story has neither a hero image nor one in
 * its body.
 */
export function requireCover({ edition }: { edition: WechatEdition }): WechatPicture {
  if (edition.cover) return edition.cover
  throw new WechatExportError({
    zh: '公众号图文必须有封面图：本稿没有题图，正文也没有图片，请加一张题图',
    en: 'WeChat requires a cover image: this story has no hero image and no image in its body',
    status: 422,
  })
}

/** Makes every picture of the edition from the originals in the media library (`mediaDir` or the bucket). */
export async function makeWechatImages({
  edition,
  mediaDir,
}: {
  edition: WechatEdition
  mediaDir: string
}): Promise<WechatImageSet> {
  const coverPicture = requireCover({ edition })
  const files = bodyImageFiles({ edition })
  const body: WechatBodyImage[] = []
  for (const picture of edition.bodyImages) {
    const jpeg = await bodyJpeg({ picture, mediaDir })
    body.push({ picture, file: files.get(picture.image.id) ?? '', jpeg })
  }
  const coverSource =
    body.find((made) => made.picture.image.id === coverPicture.image.id)?.jpeg ??
    (await bodyJpeg({ picture: coverPicture, mediaDir }))
  const cover = await wechatCover({
    picture: coverSource,
    focalX: coverPicture.media.focalX,
    focalY: coverPicture.media.focalY,
  })
  return { body, coverPicture, coverSource, cover }
}

async function bodyJpeg({
  picture,
  mediaDir,
}: {
  picture: WechatPicture
  mediaDir: string
}): Promise<WechatJpeg> {
  return wechatBodyImage({
    source: await pictureSource({ picture, mediaDir }),
    label: picture.media.filename ?? String(picture.image.id),
  })
}
