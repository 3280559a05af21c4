import type { Payload } from 'payload'
import { houseRights } from '../../channels/house.ts'
import { stripControlCharacters } from '../../channels/html.ts'
import type { LexicalNode } from '../../channels/lexical/nodes.ts'
import { lexicalToBlocks } from '../../channels/lexical/toBlocks.ts'
import type { PlatedImage, PublishedStory } from '../../channels/types.ts'
import { wechatBlocks } from '../../channels/wechat/blocks.ts'
import { wechatDigest } from '../../channels/wechat/digest.ts'
import type { WechatStory } from '../../channels/wechat/types.ts'
import type { Media, Story, User } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { plateImage, plateStory } from '../plate/plateStory.ts'
import { isOutletStage, readApprovedStory } from '../plate/readApprovedStory.ts'
import { siteOrigin } from '../site/siteOrigin.ts'
import { WechatExportError } from './exportError.ts'
import { wechatAuthor } from './wechatAuthor.ts'

/** An image of the story with the media document it came from (file name, focal point). */
export interface WechatPicture {
  image: PlatedImage
  media: Media
}

/** One story as the WeChat desk takes it: the article's story, what WeChat shows around it, its images. */
export interface WechatEdition {
  plate: PublishedStory
  story: WechatStory
  /** 摘要: the WeChat digest, else the summary, else the body's first 54 characters. */
  digest: string | null
  /** Body images in order of first appearance, each once. */
  bodyImages: WechatPicture[]
  /** The cover: the hero image, else the first body image; null when the story has no image. */
  cover: WechatPicture | null
}

/**
 * The story `ref` names (an id or a slug) as WeChat will carry it: a published story as
 * published, an approved one at its latest version (see readApprovedStory). A draft, a story in
 * review, a withdrawn story and one under embargo at `now` are refused with a WechatExportError.
 * The title and digest are the story's WeChat ones when an editor gave them; 作者 is the names
 * of the byline; 阅读原文 is the story's page on the site.
 */
export async function readWechatEdition({
  payload,
  story: ref,
  now = new Date(),
}: {
  payload: Payload
  story: string | number
  now?: Date
}): Promise<WechatEdition> {
  const id = await findStoryId({ payload, ref })
  const doc = await readApprovedStory({ payload, id })
  if (!doc) throw new WechatExportError({ zh: `没有稿件 ${ref}`, en: `no story ${ref}`, status: 404 })
  refuseUnreleased({ doc, now })
  return wechatEditionOf({ doc, plate: plateStory({ doc, rights: houseRights }) })
}

/**
 * A story document (depth 2) as WeChat would carry it, whatever its stage: the article's
 * story, digest, body images and cover, from `plate` (the document's plate). The preview
 * shows a draft this way; readWechatEdition refuses what may not go first.
 */
export function wechatEditionOf({ doc, plate }: { doc: Story; plate: PublishedStory }): WechatEdition {
  const root = (doc.body?.root ?? null) as unknown as LexicalNode | null
  const bodyBlocks = lexicalToBlocks({ root })
  const blocks = wechatBlocks({ blocks: bodyBlocks, imageOf: plateImage })
  const bodyImages = uniquePictures(
    bodyBlocks.flatMap((block) => (block.kind === 'image' ? [pictureOf(block.value)] : [])),
  )
  const origin = siteOrigin()
  const story: WechatStory = {
    kicker: plate.kicker,
    title: cleanText(doc.wechat?.title) ?? plate.title,
    subtitle: plate.subtitle,
    summary: plate.summary,
    author:
      cleanText(doc.wechat?.author) ??
      wechatAuthor({ bylineText: plate.byline, staffNames: staffNames(doc) }),
    byline: plate.byline,
    blocks,
    sourceUrl: `${origin}${plate.path}`,
    siteOrigin: origin,
  }
  return {
    plate,
    story,
    digest: cleanText(doc.wechat?.digest) ?? wechatDigest({ summary: plate.summary, blocks }),
    bodyImages,
    cover: pictureOf(doc.heroImage) ?? bodyImages[0] ?? null,
  }
}

async function findStoryId({ payload, ref }: { payload: Payload; ref: string | number }): Promise<number> {
  const text = String(ref).trim()
  if (/^\d+$/.test(text)) return Number(text)
  if (!/^[\p{L}\p{N}_-]+$/u.test(text)) {
    throw new WechatExportError({
      zh: `“${text}” 既不是稿件编号也不是稿件地址`,
      en: `"${text}" is neither a story id nor a slug`,
      status: 400,
    })
  }
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { slug: { equals: text } },
    draft: true,
    depth: 0,
    limit: 1,
    pagination: false,
    overrideAccess: true,
    select: { slug: true },
  })
  const found = docs[0]
  if (!found) throw new WechatExportError({ zh: `没有稿件 ${text}`, en: `no story ${text}`, status: 404 })
  return found.id
}

/** Only stories cleared for the desks leave the kitchen, and none before its embargo. */
function refuseUnreleased({ doc, now }: { doc: Story; now: Date }) {
  const title = `“${doc.title}”`
  if (doc.stage === 'withdrawn') {
    throw new WechatExportError({
      zh: `${title} 已撤稿，不能推送公众号`,
      en: `${title} was withdrawn and cannot go to WeChat`,
      status: 422,
    })
  }
  if (!isOutletStage(doc.stage)) {
    throw new WechatExportError({
      zh: `${title} 尚未审定（${doc.stage}），不能推送公众号`,
      en: `${title} is not approved yet (${doc.stage})`,
      status: 422,
    })
  }
  if (doc.embargoUntil && new Date(doc.embargoUntil) > now) {
    throw new WechatExportError({
      zh: `${title} 禁发至 ${doc.embargoUntil}，不能推送公众号`,
      en: `${title} is under embargo until ${doc.embargoUntil}`,
      status: 422,
    })
  }
}

function pictureOf(value: unknown): WechatPicture | null {
  const image = plateImage(value)
  return image ? { image, media: value as Media } : null
}

function uniquePictures(pictures: (WechatPicture | null)[]): WechatPicture[] {
  const byId = new Map<number, WechatPicture>()
  for (const picture of pictures)
    if (picture && !byId.has(picture.image.id)) byId.set(picture.image.id, picture)
  return [...byId.values()]
}

function staffNames(doc: Story): string[] {
  return (doc.byline?.authors ?? []).flatMap((author) =>
    typeof author === 'object' && author ? [cleanText((author as User).name) ?? ''] : [],
  )
}

function cleanText(value: string | null | undefined): string | null {
  const text = typeof value === 'string' ? stripControlCharacters(value).trim() : ''
  return text === '' ? null : text
}
