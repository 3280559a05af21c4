import type { PayloadRequest, Where } from 'payload'
import { previewableStories } from '../../access/preview.ts'
import { isDatabaseAnswering, isDatabaseUnavailable } from '../../db/unavailable.ts'
import { databaseUnavailable, type RefusalArgs, refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'
import { PreviewError } from './previewError.ts'
import { previewHeaders } from './previewHeaders.ts'

/**
 * Lets in staff who may preview the story `storyId` (access/preview.ts), and refuses anyone
 * else as the house refuses (JSON, both languages, never cached or indexed): 401 without a
 * session or token (a partner key is no session), 400 an id that is not a number, 404 no such
 * story, 403 a story the user may not preview (a reporter's on another reporter's story),
 * 503 while the database does not answer. Returns the refusal, or null to go on.
 */
export async function refusePreview({
  req,
  storyId,
  action,
}: {
  req: PayloadRequest
  storyId: unknown
  /** What is refused, for the 401 and 403: `{ zh: '预览这篇稿件', en: 'preview this story' }`. */
  action: { zh: string; en: string }
}): Promise<Response | null> {
  if (!req.user) {
    const hasCredential = Boolean(req.headers.get('authorization') || req.headers.get('cookie'))
    if (hasCredential && !(await isDatabaseAnswering(req.payload))) return previewRefusal(databaseUnavailable)
    return previewRefusal({
      code: 'unauthorized',
      reason: { en: `log in to ${action.en}`, zh: `请登录后${action.zh}` },
    })
  }
  const id = Number(storyId)
  if (!Number.isInteger(id) || id <= 0 || String(storyId) !== String(id))
    return previewRefusal({
      code: 'bad_id',
      reason: { en: 'the story id must be a number', zh: '稿件 id 必须是数字' },
    })
  const access = previewableStories({ req })
  const exists = async (extra?: Where) => {
    const { totalDocs } = await req.payload.count({
      collection: collectionSlugs.stories,
      where: extra ? { and: [{ id: { equals: id } }, extra] } : { id: { equals: id } },
      overrideAccess: true,
    })
    return totalDocs > 0
  }
  if (!(await exists()))
    return previewRefusal({
      code: 'not_found',
      reason: { en: `there is no story ${id}`, zh: `没有稿件 ${id}` },
    })
  if (access === false || (access !== true && !(await exists(access))))
    return previewRefusal({
      code: 'forbidden',
      reason: {
        en: `only editors and the story's own reporter may ${action.en}`,
        zh: `只有编辑和稿件作者本人可以${action.zh}`,
      },
    })
  return null
}

/** A refusal of the preview endpoints: the house's, also marked never to be indexed. */
export function previewRefusal(args: RefusalArgs): Response {
  return refusalResponse({
    ...args,
    headers: { ...args.headers, 'X-Robots-Tag': previewHeaders['X-Robots-Tag'] },
  })
}

/** The refusal for what went wrong while previewing: a PreviewError, an outage, else a logged 500. */
export function previewFailure({ req, err }: { req: PayloadRequest; err: unknown }): Response {
  if (err instanceof PreviewError)
    return previewRefusal({ code: err.status === 400 ? 'bad_request' : 'not_found', reason: err.reason })
  if (isDatabaseUnavailable(err)) return previewRefusal(databaseUnavailable)
  req.payload.logger.error({ msg: 'the preview endpoint failed', err })
  return previewRefusal({
    code: 'server_error',
    reason: { en: 'the preview could not be made', zh: '预览生成失败' },
  })
}
