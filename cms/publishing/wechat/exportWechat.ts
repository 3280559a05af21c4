import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { countChinese } from '../../channels/chineseCount.ts'
import { buildWechatArticle } from '../../channels/wechat/article.ts'
import { wechatLimits } from '../../channels/wechat/limits.ts'
import { buildWechatPreviewPage } from '../../channels/wechat/previewPage.ts'
import type { WechatArticle } from '../../channels/wechat/types.ts'
import { writePackageFolder } from '../../lib/files/packageFolder.ts'
import { hashFiles, type ManifestFile } from '../../lib/manifest.ts'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import {
  bodyImageFiles,
  coverFiles,
  localImageSrc,
  makeWechatImages,
  requireCover,
  type WechatImageSet,
} from './articleImages.ts'
import { refuseOverLimits } from './articleLimits.ts'
import { readWechatEdition, type WechatEdition } from './wechatStory.ts'

/** What `meta.json` of a WeChat export says: what goes around the article, its cover and its size. */
export interface WechatExportMeta {
  story: {
    id: number
    uri: string
    slug: string
    version: number
    /** When this version was published (or last saved, for one not yet live). */
    updatedAt: string
  }
  title: string
  author: string | null
  digest: string | null
  sourceUrl: string
  cover: { media: number; wide: string; square: string; pic_crop_235_1: string; pic_crop_1_1: string }
  images: { file: string; media: number; width: number; height: number; bytes: number }[]
  counts: {
    /** Of article.html, as WeChat counts its content: code points, markup included. */
    characters: number
    /** UTF-8 bytes of article.html. */
    bytes: number
    /** 汉字 of the story's body, as the web page counts them. */
    hanzi: number
    /** 汉字 of the article's text: the body, and the kicker, subtitle, byline, 导语, captions and notes. */
    articleHanzi: number
    notes: number
  }
  limits: typeof wechatLimits
  /** Every other file of the folder, with its sha256. */
  files: ManifestFile[]
}

export interface WechatPackage {
  /** The finished folder, e.g. `dist/wechat/wechat-chen-haisheng`. */
  dir: string
  /** Its files, relative, sorted. */
  files: string[]
  article: WechatArticle
  meta: WechatExportMeta
}

/**
 * Exports one story for the official account's editor: `article.html` (the article body as
 * WeChat's content takes it, its images as files beside it), `images/` (body images at most
 * 1080 px wide and under 1 MB, the cover cut 2.35:1 and 1:1 around its focal point),
 * `meta.json` and `preview.html` (the article at phone width with a copy button). A story
 * WeChat would refuse (over a limit: WechatLimitError; not cleared or without any image:
 * WechatExportError) writes nothing; the folder appears whole or not at all.
 */
export async function exportWechatArticle({
  payload,
  story: ref,
  outDir,
  mediaDir = defaultMediaDir,
  now = new Date(),
}: {
  payload: Payload
  /** A story id, or its slug. */
  story: string | number
  outDir: string
  mediaDir?: string
  now?: Date
}): Promise<WechatPackage> {
  const edition = await readWechatEdition({ payload, story: ref, now })
  requireCover({ edition })
  const article = buildWechatArticle({
    story: edition.story,
    imageSrc: localImageSrc({ files: bodyImageFiles({ edition }) }),
  })
  refuseOverLimits({ edition, content: article.html })
  const images = await makeWechatImages({ edition, mediaDir })
  const contents: Record<string, Uint8Array | string> = {
    'article.html': article.html,
    'preview.html': buildWechatPreviewPage({
      article,
      meta: {
        title: edition.story.title,
        author: edition.story.author,
        digest: edition.digest,
        sourceUrl: edition.story.sourceUrl,
      },
    }),
    [coverFiles.wide]: images.cover.wide.bytes,
    [coverFiles.square]: images.cover.square.bytes,
    ...Object.fromEntries(images.body.map((made) => [made.file, made.jpeg.bytes])),
  }
  let meta: WechatExportMeta | undefined
  const dir = await writePackageFolder({
    outDir,
    name: `wechat-${edition.plate.slug}`,
    write: async (work) => {
      for (const [file, content] of Object.entries(contents)) {
        await mkdir(path.dirname(path.join(work, file)), { recursive: true })
        await writeFile(path.join(work, file), content)
      }
      meta = exportMeta({ edition, article, images, files: await hashFiles({ dir: work }) })
      await writeFile(path.join(work, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`)
    },
  })
  if (!meta) throw new Error('the WeChat export wrote no meta.json')
  return { dir, files: [...Object.keys(contents), 'meta.json'].sort(), article, meta }
}

/** The 汉字 of an article's text (tags and their attributes, alt texts included, left out). */
export function articleHanzi({ html }: { html: string }): number {
  return countChinese(html.replace(/<[^>]*>/g, '')).hanzi
}

function exportMeta({
  edition,
  article,
  images,
  files,
}: {
  edition: WechatEdition
  article: WechatArticle
  images: WechatImageSet
  files: ManifestFile[]
}): WechatExportMeta {
  const { plate, story } = edition
  return {
    story: {
      id: plate.id,
      uri: plate.guid,
      slug: plate.slug,
      version: plate.version,
      updatedAt: plate.updatedAt,
    },
    title: story.title,
    author: story.author,
    digest: edition.digest,
    sourceUrl: story.sourceUrl,
    cover: {
      media: images.coverPicture.image.id,
      wide: coverFiles.wide,
      square: coverFiles.square,
      pic_crop_235_1: images.cover.crop235,
      pic_crop_1_1: images.cover.crop11,
    },
    images: images.body.map((made) => ({
      file: made.file,
      media: made.picture.image.id,
      width: made.jpeg.width,
      height: made.jpeg.height,
      bytes: made.jpeg.bytes.length,
    })),
    counts: {
      characters: article.characters,
      bytes: article.bytes,
      hanzi: plate.counts.hanzi,
      articleHanzi: articleHanzi({ html: article.html }),
      notes: article.notes.length,
    },
    limits: wechatLimits,
    files,
  }
}
