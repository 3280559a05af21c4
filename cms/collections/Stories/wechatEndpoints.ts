import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Endpoint } from 'payload'
import { isDeskOrAdmin } from '../../access/roles.ts'
import { WechatLimitError } from '../../channels/wechat/limits.ts'
import { zipFolderResponse } from '../../lib/files/zipFolder.ts'
import { describeWechatError, WechatApiError } from '../../publishing/wechat/errors.ts'
import { WechatExportError } from '../../publishing/wechat/exportError.ts'
import { exportWechatArticle } from '../../publishing/wechat/exportWechat.ts'
import { pushWechatDraft } from '../../publishing/wechat/pushDraft.ts'
import { requireWechatSettings } from '../../publishing/wechat/wechatSettings.ts'
import { refusalCodeOf, refusalResponse } from '../../security/refusal.ts'
import { storyHandler } from './storyGate.ts'

const wechatGate = { login: { en: 'log in to export or push to WeChat', zh: '请登录后导出或推送公众号' } }

const wechatFailed = { en: 'the WeChat export or push failed', zh: '公众号导出或推送失败' }

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
    handler: storyHandler({
      gate: wechatGate,
      failed: wechatFailed,
      refusalOf: wechatRefusal,
      work: async ({ req, story: { id: storyId } }) => {
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
    handler: storyHandler({
      gate: {
        ...wechatGate,
        only: {
          may: (req) => isDeskOrAdmin({ req }),
          reason: {
            en: 'only editors and admins push stories to the WeChat draft box',
            zh: '只有编辑和管理员可以推送公众号草稿',
          },
        },
      },
      failed: wechatFailed,
      refusalOf: wechatRefusal,
      work: async ({ req, story: { id: storyId } }) => {
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

/** The WeChat desk's own refusals: over a limit, a story that may not go, WeChat's answer. */
function wechatRefusal(err: unknown): Response | null {
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
  return null
}

/** `中文 / English` apart; a line without an English half is said in full in both. */
function bothHalves(line: string): { zh: string; en: string } {
  const at = line.lastIndexOf('/ ')
  if (at < 0) return { zh: line, en: line }
  return { zh: line.slice(0, at).trim(), en: line.slice(at + 2).trim() }
}
