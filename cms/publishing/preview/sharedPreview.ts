import path from 'node:path'
import type { Payload } from 'payload'
import { escapeHtml } from '../../channels/html.ts'
import { isDatabaseUnavailable } from '../../db/unavailable.ts'
import { mediaFiles } from '../../lib/mediaFiles.ts'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import { mediaContentSecurityPolicy } from '../../security/headers.ts'
import { beijingClock, chineseDate } from './outletPage.ts'
import { renderOutletPreview } from './outletPreview.ts'
import { PreviewError } from './previewError.ts'
import { sharedPreviewHeaders } from './previewHeaders.ts'
import { plateMediaFiles, previewPlate } from './previewPlate.ts'
import { readPreviewStory } from './readPreviewStory.ts'
import { findShareLink, sharePath } from './shareLinks.ts'

/**
 * `GET /preview/<token>`: the web preview of the story's latest draft for whoever holds a
 * share link, without an account: read-only (the page and its images, nothing else), never
 * cached, never indexed. Each refusal is a small Chinese page saying why (with the English
 * beside it): 404 a token that is not one (mistyped, cut short, altered), 410 a link past its
 * expiry or revoked, 503 while the database does not answer.
 */
export async function serveSharedPreview({
  payload,
  token,
  siteUrl,
  now = new Date(),
}: {
  payload: Payload
  token: string
  siteUrl: string
  now?: Date
}): Promise<Response> {
  try {
    const found = await findShareLink({ payload, token, now })
    if (found.state !== 'valid') return refusalOf(found)
    const { body } = await renderOutletPreview({
      payload,
      storyId: found.storyId,
      outlet: 'web',
      siteUrl,
      mediaUrl: (filename) => `${sharePath(token)}/media/${encodeURIComponent(filename)}`,
      banner: `预览稿，尚未发布，请勿转发 · 链接有效至 ${chineseDate(found.link.expiresAt)} ${beijingClock(found.link.expiresAt)}`,
      now,
    })
    return new Response(body, {
      status: 200,
      headers: { ...sharedPreviewHeaders, 'Content-Type': 'text/html; charset=utf-8' },
    })
  } catch (err) {
    return failureOf({ payload, err })
  }
}

/**
 * `GET /preview/<token>/media/<file>`: an image file of the story a valid share link opens,
 * only one its web preview shows (any rendition of its hero, body images and portraits),
 * read from the kitchen's media folder (or bucket) where it is: never copied into the site.
 */
export async function serveSharedMedia({
  payload,
  token,
  filename,
  mediaDir = defaultMediaDir,
  now = new Date(),
}: {
  payload: Payload
  token: string
  filename: string
  mediaDir?: string
  now?: Date
}): Promise<Response> {
  try {
    const found = await findShareLink({ payload, token, now })
    if (found.state !== 'valid') return refusalOf(found)
    const { doc } = await readPreviewStory({ payload, storyId: found.storyId })
    const plate = await previewPlate({ payload, doc, now })
    const rendition = [plate.hero, ...plate.images, ...plate.people.map((person) => person.portrait)]
      .flatMap((image) => image?.renditions ?? [])
      .find((candidate) => candidate.filename === filename)
    if (!rendition || !plateMediaFiles({ plate }).has(filename) || path.basename(filename) !== filename)
      return refusalPage({
        status: 404,
        zh: '这份预览里没有这张图片',
        en: 'this preview shows no such image',
      })
    const bytes = await mediaFiles({ mediaDir }).read({ filename })
    if (!bytes) return refusalPage({ status: 404, zh: '图片文件不存在', en: 'the image file is missing' })
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: {
        ...sharedPreviewHeaders,
        'Content-Type': rendition.mimeType,
        'Content-Security-Policy': mediaContentSecurityPolicy,
      },
    })
  } catch (err) {
    return failureOf({ payload, err })
  }
}

/** Why a token opens nothing, as its page says it. */
function refusalOf(found: Exclude<Awaited<ReturnType<typeof findShareLink>>, { state: 'valid' }>): Response {
  if (found.state === 'unknown')
    return refusalPage({
      status: 404,
      zh: '预览链接无效：请核对链接是否完整，或向编辑索取新链接',
      en: 'This preview link is not valid: check that it is complete, or ask the editor for a new one',
    })
  if (found.state === 'revoked')
    return refusalPage({
      status: 410,
      zh: `预览链接已于 ${chineseDate(found.link.revokedAt ?? '')} ${beijingClock(found.link.revokedAt ?? '')} 被撤销`,
      en: 'This preview link was revoked',
    })
  return refusalPage({
    status: 410,
    zh: `预览链接已于 ${chineseDate(found.link.expiresAt)} ${beijingClock(found.link.expiresAt)} 过期：请向编辑索取新链接`,
    en: 'This preview link has expired: ask the editor for a new one',
  })
}

function failureOf({ payload, err }: { payload: Payload; err: unknown }): Response {
  if (isDatabaseUnavailable(err))
    return refusalPage({
      status: 503,
      zh: '数据库暂时无法访问，请稍后刷新',
      en: 'The database is not answering; try again shortly',
    })
  if (err instanceof PreviewError) return refusalPage({ status: err.status, ...err.reason })
  payload.logger.error({ msg: 'the shared preview failed', err })
  return refusalPage({
    status: 500,
    zh: '预览生成失败，请稍后再试',
    en: 'The preview could not be made; try again later',
  })
}

/** A share link's refusal: a small page in Chinese, the English beside it. */
export function refusalPage({ status, zh, en }: { status: number; zh: string; en: string }): Response {
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>无法打开预览</title>
<style>body{margin:0;padding:48px 24px;font:16px/1.7 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#333;text-align:center}h1{font-size:20px}.en{color:#777;font-size:14px}</style>
</head>
<body>
<h1>无法打开预览</h1>
<p data-reason>${escapeHtml(zh)}</p>
<p class="en" lang="en">${escapeHtml(en)}</p>
</body>
</html>
`
  return new Response(html, {
    status,
    headers: {
      ...sharedPreviewHeaders,
      'Content-Type': 'text/html; charset=utf-8',
      ...(status === 503 ? { 'Retry-After': '5' } : {}),
    },
  })
}
