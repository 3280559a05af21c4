import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Endpoint, PayloadRequest } from 'payload'
import { isEditorOrAdmin } from '../../access/roles.ts'
import { WechatLimitError } from '../../channels/wechat/limits.ts'
import { isDatabaseAnswering, isDatabaseUnavailable } from '../../db/unavailable.ts'
import { zipFolderResponse } from '../../lib/files/zipFolder.ts'
import { describeWechatError, WechatApiError } from '../../publishing/wechat/errors.ts'
import { WechatExportError } from '../../publishing/wechat/exportError.ts'
import { exportWechatArticle } from '../../publishing/wechat/exportWechat.ts'
import { pushWechatDraft } from '../../publishing/wechat/pushDraft.ts'
import { requireWechatSettings } from '../../publishing/wechat/wechatSettings.ts'
import { databaseUnavailable, refusalCodeOf, refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * `GET /api/stories/:id/wechat`: the story's WeChat export folder as a zip, for staff who may
 * read the story. `POST /api/stories/:id/wechat/push`: the story saved as a draft of the
 * official account, for editors and admins: 200 `{ mediaId, action, storyVersion }`. Refusals
 * say why in both languages: 422 a story that may not go, has no image or is over a WeChat
 * limit (each limit and by how much), 503 no account configured, 502 WeChat refused (its one line).
 */
export const wechatEndpoints: Endpoint[] = [
  {
    path: '/:id/wechat',
    method: 'get',
    handler: (req) =>
      guarded({
        req,
        mayAct: () => true,
        work: async ({ storyId }) => {
          const outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-wechat-'))
          try {
            const result = await exportWechatArticle({ payload: req.payload, story: storyId, outDir })
            return await zipFolderResponse({ dir: result.dir, mtime: new Date(result.meta.story.updatedAt) })
          } finally {
            await rm(outDir, { recursive: true, force: true })
          }
        },
      }),
  },
  {
    path: '/:id/wechat/push',
    method: 'post',
    handler: (req) =>
      guarded({
        req,
        mayAct: () => isEditorOrAdmin({ req }),
        work: async ({ storyId }) => {
          const settings = requireWechatSettings()
          const pushed = await pushWechatDraft({
            payload: req.payload,
            story: storyId,
            user: req.user,
            settings,
          })
          return Response.json(
            { mediaId: pushed.mediaId, action: pushed.action, storyVersion: pushed.storyVersion },
            { headers: { 'Cache-Control': 'no-store' } },
          )
        },
      }),
  },
]

/**
 * Runs `work` for a logged-in user `mayAct` lets in, on a story they may read; every refusal
 * of the WeChat desk as the house answers one.
 */
async function guarded({
  req,
  mayAct,
  work,
}: {
  req: PayloadRequest
  mayAct: () => boolean
  work: (args: { storyId: number }) => Promise<Response>
}): Promise<Response> {
  try {
    if (!req.user) {
      const hasCredential = Boolean(req.headers.get('authorization') || req.headers.get('cookie'))
      if (hasCredential && !(await isDatabaseAnswering(req.payload)))
        return refusalResponse(databaseUnavailable)
      return refusalResponse({
        code: 'unauthorized',
        reason: { en: 'log in to export or push to WeChat', zh: '请登录后导出或推送公众号' },
      })
    }
    if (!mayAct()) {
      return refusalResponse({
        code: 'forbidden',
        reason: {
          en: 'only editors and admins push stories to the WeChat draft box',
          zh: '只有编辑和管理员可以推送公众号草稿',
        },
      })
    }
    const storyId = Number(req.routeParams?.id)
    if (!Number.isInteger(storyId) || storyId <= 0) {
      return refusalResponse({
        code: 'bad_id',
        reason: { en: 'the story id must be a number', zh: '稿件 id 必须是数字' },
      })
    }
    const readable = await req.payload.findByID({
      collection: collectionSlugs.stories,
      id: storyId,
      draft: true,
      depth: 0,
      overrideAccess: false,
      user: req.user,
      disableErrors: true,
      select: { title: true },
    })
    if (!readable) {
      return refusalResponse({
        code: 'not_found',
        reason: { en: `there is no story ${storyId}`, zh: `没有稿件 ${storyId}` },
      })
    }
    return await work({ storyId })
  } catch (err) {
    return refusalOf({ req, err })
  }
}

function refusalOf({ req, err }: { req: PayloadRequest; err: unknown }): Response {
  if (err instanceof WechatLimitError) {
    const zh = err.problems.map((problem) => problem.message.split(' / ')[0]).join('；')
    const en = err.problems.map((problem) => problem.message.split(' / ').slice(1).join(' / ')).join('; ')
    return refusalResponse({
      code: 'unprocessable',
      reason: { en: `over WeChat's limits: ${en}`, zh: `超出公众号限制：${zh}` },
      extra: {
        limits: err.problems.map(({ field, limit, actual, over }) => ({ field, limit, actual, over })),
      },
    })
  }
  if (err instanceof WechatExportError) {
    return refusalResponse({ code: refusalCodeOf(err.status), reason: err.reason })
  }
  if (err instanceof WechatApiError) {
    const { zh, en } = bothHalves(describeWechatError(err))
    return refusalResponse({
      // Refused before sending (an image WeChat would not take) is ours; anything else is WeChat's answer.
      code: err.failure === 'refused' ? 'unprocessable' : 'bad_gateway',
      reason: { en: `WeChat refused: ${en}`, zh: `公众号拒绝：${zh}` },
      extra: { errcode: err.errcode ?? null },
    })
  }
  if (isDatabaseUnavailable(err)) return refusalResponse(databaseUnavailable)
  req.payload.logger.error({ msg: 'the WeChat endpoint failed', err })
  return refusalResponse({
    code: 'server_error',
    reason: { en: 'the WeChat export or push failed', zh: '公众号导出或推送失败' },
  })
}

/** `中文 / English` apart; a line without an English half is said in full in both. */
function bothHalves(line: string): { zh: string; en: string } {
  const at = line.lastIndexOf('/ ')
  if (at < 0) return { zh: line, en: line }
  return { zh: line.slice(0, at).trim(), en: line.slice(at + 2).trim() }
}
