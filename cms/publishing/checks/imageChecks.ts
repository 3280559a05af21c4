import type { BodyParts } from '../../channels/checks/bodyParts.ts'
import type { Media } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { newsroomDate } from './format.ts'
import { idOf } from './relationId.ts'
import type { CheckContext, StoryCheck } from './types.ts'

/** An image the story shows, where it shows it. */
export interface ImageUse {
  id: number
  field: 'heroImage' | 'body'
  where: { zh: string; en: string }
}

/**
 * Every image the story shows (hero and body), as the media library has it now: it exists,
 * has alt text (block) and a credit (warn); a picture marked as showing recognisable people
 * has a consent record (block) that has not expired (block, naming the day it ran out).
 */
export function checkImages({
  uses,
  media,
  now,
}: {
  uses: readonly ImageUse[]
  media: ReadonlyMap<number, Media>
  now: Date
}): StoryCheck[] {
  return uses.flatMap((use) => checksOf({ use, image: media.get(use.id), now }))
}

/** The media documents of these uses, fresh from the library, by id. */
export async function loadMedia({
  payload,
  uses,
  req,
}: Pick<CheckContext, 'payload' | 'req'> & { uses: readonly ImageUse[] }): Promise<Map<number, Media>> {
  if (uses.length === 0) return new Map()
  const { docs } = await payload.find({
    collection: collectionSlugs.media,
    where: { id: { in: [...new Set(uses.map((use) => use.id))] } },
    depth: 0,
    pagination: false,
    overrideAccess: true,
    req,
  })
  return new Map(docs.map((doc) => [doc.id, doc]))
}

function checksOf({ use, image, now }: { use: ImageUse; image: Media | undefined; now: Date }): StoryCheck[] {
  const { field, where } = use
  if (!image) {
    return [
      {
        code: 'image_missing',
        severity: 'block',
        field,
        message: {
          zh: `${where.zh}已从图片库中删除：请重新选择图片或移除`,
          en: `The ${where.en} was deleted from the media library: choose another or remove it`,
        },
      },
    ]
  }
  const name = {
    zh: `${where.zh}（${image.filename ?? `#${image.id}`}）`,
    en: `${where.en} (${image.filename ?? `#${image.id}`})`,
  }
  const checks: StoryCheck[] = []
  if (!image.alt?.trim()) {
    checks.push({
      code: 'image_alt_missing',
      severity: 'block',
      field,
      message: {
        zh: `${name.zh}没有替代文字：请在图片库中为它填写“替代文字”`,
        en: `The ${name.en} has no alt text: add it in the media library`,
      },
    })
  }
  if (!image.credit?.trim()) {
    checks.push({
      code: 'image_credit_missing',
      severity: 'warn',
      field,
      message: {
        zh: `${name.zh}没有署名：请在图片库中填写“摄影 / 来源”`,
        en: `The ${name.en} has no credit: add the photographer or source in the media library`,
      },
    })
  }
  const portrait = image.portrait
  if (portrait?.showsPeople) {
    if (!portrait.consentRecord?.trim()) {
      checks.push({
        code: 'portrait_consent_missing',
        severity: 'block',
        field,
        message: {
          zh: `${name.zh}含可辨认的人物肖像，但没有肖像授权记录：请在图片库中填写“授权记录”`,
          en: `The ${name.en} shows recognisable people but has no consent record: add it in the media library`,
        },
      })
    } else if (portrait.consentExpiresAt && new Date(portrait.consentExpiresAt).getTime() <= now.getTime()) {
      const day = newsroomDate(portrait.consentExpiresAt)
      checks.push({
        code: 'portrait_consent_expired',
        severity: 'block',
        field,
        message: {
          zh: `${name.zh}的肖像授权已于 ${day} 到期：请续签授权或换用其他图片`,
          en: `The portrait consent of the ${name.en} expired on ${day}: renew it or use another image`,
        },
      })
    }
  }
  return checks
}

/** The images in reading order: the hero, then each image of the body. */
export function imageUses({ hero, parts }: { hero: unknown; parts: BodyParts }): ImageUse[] {
  const uses: ImageUse[] = []
  const heroId = idOf(hero)
  if (heroId !== undefined)
    uses.push({ id: heroId, field: 'heroImage', where: { zh: '题图', en: 'hero image' } })
  for (const image of parts.images) {
    const id = idOf(image.value)
    if (id === undefined) continue
    uses.push({
      id,
      field: 'body',
      where: { zh: `正文第 ${image.position} 张图片`, en: `image ${image.position} of the body` },
    })
  }
  return uses
}
