import type { Payload } from 'payload'
import { buildWechatArticle } from '../../channels/wechat/article.ts'
import type { WechatArticle } from '../../channels/wechat/types.ts'
import { withAdvisoryLock } from '../../db/advisoryLock.ts'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import type { User, WechatPush } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import {
  bodyImageFiles,
  localImageSrc,
  makeWechatImages,
  requireCover,
  type WechatImageSet,
} from './articleImages.ts'
import { refuseOverLimits } from './articleLimits.ts'
import type { WechatClient, WechatDraftArticle } from './client.ts'
import { describeWechatError, WechatApiError } from './errors.ts'
import { uploadOnce } from './uploadOnce.ts'
import { requireWechatSettings, type WechatSettings, wechatClientOf } from './wechatSettings.ts'
import { readWechatEdition, type WechatEdition } from './wechatStory.ts'

/** A story saved in the official account's draft box. */
export interface WechatPushResult {
  /** The draft's media_id. */
  mediaId: string
  /** `add`: a new draft; `update`: the story's earlier draft corrected in place. */
  action: WechatPush['action']
  storyVersion: number
  article: WechatArticle
  /** Images sent to WeChat by this push (those an earlier push sent are reused, not counted). */
  uploaded: { body: number; cover: number }
}

/**
 * Saves a story as a draft (草稿) of the official account configured by HONGYAN_WECHAT_APPID
 * and HONGYAN_WECHAT_SECRET (503 when not). Never publishes or mass-sends: an editor sends the
 * draft from the 公众平台. In order: the story is read and refused if it may not go or is over
 * a WeChat limit (nothing sent); each body image is uploaded (uploadimg) and the cover added as
 * a permanent image, each reused when an earlier push uploaded the same bytes; the article is
 * rendered with WeChat's image URLs; a story already pushed to this account has its draft
 * updated (a correction), else a draft is added. The push is recorded in wechat-pushes, a
 * failed one with the one line describeWechatError gives, and the error is thrown again. One
 * push of a story to an account at a time (an advisory lock), so two clicks make one draft.
 */
export async function pushWechatDraft({
  payload,
  story: storyId,
  user,
  client,
  settings = requireWechatSettings(),
  mediaDir = defaultMediaDir,
  now = new Date(),
}: {
  payload: Payload
  story: number
  /** Who pushes: recorded as `by`. */
  user?: Pick<User, 'id'> | null
  client?: WechatClient
  settings?: WechatSettings
  mediaDir?: string
  now?: Date
}): Promise<WechatPushResult> {
  const edition = await readWechatEdition({ payload, story: storyId, now })
  requireCover({ edition })
  // Measured first with the export's image file names: an article over a limit sends nothing.
  const local = buildWechatArticle({
    story: edition.story,
    imageSrc: localImageSrc({ files: bodyImageFiles({ edition }) }),
  })
  refuseOverLimits({ edition, content: local.html })
  const images = await makeWechatImages({ edition, mediaDir })
  const wechat = client ?? wechatClientOf({ settings })
  const locked = await withAdvisoryLock({
    payload,
    key: `wechat-push:${settings.appId}:${edition.plate.id}`,
    work: () => pushLocked({ payload, edition, images, wechat, appId: settings.appId, by: user?.id ?? null }),
  })
  if (!locked.isLocked) throw new Error('the WeChat push lock was not taken')
  return locked.value
}

async function pushLocked({
  payload,
  edition,
  images,
  wechat,
  appId,
  by,
}: {
  payload: Payload
  edition: WechatEdition
  images: WechatImageSet
  wechat: WechatClient
  appId: string
  by: number | null
}): Promise<WechatPushResult> {
  const previous = await lastPush({ payload, story: edition.plate.id, appId })
  const record = (data: Pick<WechatPush, 'action' | 'status'> & Partial<WechatPush>) =>
    payload.create({
      collection: collectionSlugs.wechatPushes,
      data: { story: edition.plate.id, appId, storyVersion: edition.plate.version, by, ...data },
      overrideAccess: true,
    })
  let action: WechatPush['action'] = previous?.mediaId ? 'update' : 'add'
  let article: WechatArticle | undefined
  let sent: Pick<WechatPushResult, 'mediaId' | 'uploaded' | 'article'>
  try {
    const uploaded = { body: 0, cover: 0 }
    const urls = new Map<number, string>()
    for (const made of images.body) {
      const image = await uploadOnce({
        payload,
        appId,
        purpose: 'body',
        bytes: made.jpeg.bytes,
        media: made.picture.image.id,
        upload: async () => ({
          url: await wechat.uploadBodyImage(jpegNamed({ made: made.jpeg, id: made.picture.image.id })),
        }),
      })
      if (image.isNew) uploaded.body += 1
      urls.set(made.picture.image.id, image.url)
    }
    const cover = await uploadOnce({
      payload,
      appId,
      purpose: 'cover',
      bytes: images.coverSource.bytes,
      media: images.coverPicture.image.id,
      upload: () =>
        wechat.addPermanentImage(jpegNamed({ made: images.coverSource, id: images.coverPicture.image.id })),
    })
    if (cover.isNew) uploaded.cover += 1
    article = buildWechatArticle({ story: edition.story, imageSrc: (image) => urls.get(image.id) ?? '' })
    // WeChat's URLs are longer than the export's file names: measured again as sent.
    refuseOverLimits({ edition, content: article.html })
    const draftArticle = draftOf({
      edition,
      images,
      content: article.html,
      thumbMediaId: cover.mediaId ?? '',
    })
    const saved = await saveDraft({ wechat, previous: previous?.mediaId ?? null, article: draftArticle })
    action = saved.action
    sent = { mediaId: saved.mediaId, uploaded, article }
  } catch (err) {
    if (err instanceof WechatApiError) {
      await record({
        action,
        status: 'failed',
        error: describeWechatError(err),
        characters: article?.characters,
        bytes: article?.bytes,
      })
    }
    throw err
  }
  await record({
    action,
    status: 'pushed',
    mediaId: sent.mediaId,
    characters: sent.article.characters,
    bytes: sent.article.bytes,
  })
  return { ...sent, action, storyVersion: edition.plate.version }
}

/**
 * Updates the story's draft, or adds one. A draft an editor has since sent or deleted is gone
 * from the draft box (WeChat answers 40007 for its media_id): the correction becomes a new draft.
 */
async function saveDraft({
  wechat,
  previous,
  article,
}: {
  wechat: WechatClient
  previous: string | null
  article: WechatDraftArticle
}): Promise<{ mediaId: string; action: WechatPush['action'] }> {
  if (previous) {
    try {
      await wechat.updateDraft({ mediaId: previous, index: 0, article })
      return { mediaId: previous, action: 'update' }
    } catch (err) {
      if (!(err instanceof WechatApiError && err.errcode === 40007)) throw err
    }
  }
  return { mediaId: await wechat.addDraft({ article }), action: 'add' }
}

/** The story's latest successful push to this account, whose draft a correction updates. */
async function lastPush({
  payload,
  story,
  appId,
}: {
  payload: Payload
  story: number
  appId: string
}): Promise<WechatPush | undefined> {
  const { docs } = await payload.find({
    collection: collectionSlugs.wechatPushes,
    where: {
      and: [{ story: { equals: story } }, { appId: { equals: appId } }, { status: { equals: 'pushed' } }],
    },
    sort: '-createdAt',
    depth: 0,
    limit: 1,
    pagination: false,
    overrideAccess: true,
  })
  return docs[0]
}

function draftOf({
  edition,
  images,
  content,
  thumbMediaId,
}: {
  edition: WechatEdition
  images: WechatImageSet
  content: string
  thumbMediaId: string
}): WechatDraftArticle {
  const { story } = edition
  return {
    article_type: 'news',
    title: story.title,
    ...(story.author ? { author: story.author } : {}),
    ...(edition.digest ? { digest: edition.digest } : {}),
    content,
    content_source_url: story.sourceUrl,
    thumb_media_id: thumbMediaId,
    need_open_comment: 0,
    only_fans_can_comment: 0,
    pic_crop_235_1: images.cover.crop235,
    pic_crop_1_1: images.cover.crop11,
  }
}

/** A made JPEG as the client sends it, named after its media (WeChat wants an ASCII name). */
function jpegNamed({ made, id }: { made: { bytes: Buffer }; id: number }) {
  return { bytes: made.bytes, filename: `hongyan-${id}.jpg`, mimeType: 'image/jpeg' }
}
