import type { PayloadHandler, PayloadRequest } from 'payload'
import { isDatabaseAnswering, isDatabaseUnavailable } from '../../db/unavailable.ts'
import type { Story } from '../../payload-types.ts'
import { databaseUnavailable, type Reason, refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * A story endpoint's handler (`/api/stories/:id/…`): the gate's refusals first, then `work` on
 * the story. A failure becomes what `refusalOf` makes of it (an outlet's typed errors), else a
 * 503 when the database is not answering, else a logged 500 saying `failed`.
 */
export function storyHandler({
  gate,
  failed,
  work,
  refusalOf = () => null,
}: {
  gate: StoryGate
  /** The 500's reason: what could not be done. */
  failed: Reason
  work: (args: { req: PayloadRequest; story: Story }) => Promise<Response>
  refusalOf?: (err: unknown) => Response | null
}): PayloadHandler {
  return async (req) => {
    try {
      const opened = await openStory({ req, gate })
      if (opened.refusal) return opened.refusal
      return await work({ req, story: opened.story })
    } catch (err) {
      const refusal = refusalOf(err)
      if (refusal) return refusal
      if (isDatabaseUnavailable(err)) return refusalResponse(databaseUnavailable)
      req.payload.logger.error({ msg: `${req.method} ${req.pathname} failed`, err })
      return refusalResponse({ code: 'server_error', reason: failed })
    }
  }
}

/** Who a story endpoint (`/api/stories/:id/…`) lets in, and what it says to the rest. */
export interface StoryGate {
  /** The 401's reason: what one logs in to do, e.g. `请登录后查看发稿检查`. */
  login: Reason
  /** Only these logged-in users (else any): `may` decides, `reason` is the 403's. */
  only?: { may: (req: PayloadRequest) => boolean; reason: Reason }
  /** Look the story up as the server (past the user's read access), not as the user. */
  isServerRead?: boolean
}

/**
 * The refusals every story endpoint starts with, answered as the house answers them: 503 when
 * a caller with a credential finds the database silent, 401 without a session, 403 for a user
 * `only` keeps out, 400 a bad id, 404 a story the user may not read or that does not exist.
 * Otherwise the story (depth 0, its latest version) to work on.
 */
export async function openStory({
  req,
  gate,
}: {
  req: PayloadRequest
  gate: StoryGate
}): Promise<{ story: Story; refusal?: undefined } | { refusal: Response }> {
  if (!req.user) {
    const hasCredential = Boolean(req.headers.get('authorization') || req.headers.get('cookie'))
    if (hasCredential && !(await isDatabaseAnswering(req.payload)))
      return { refusal: refusalResponse(databaseUnavailable) }
    return { refusal: refusalResponse({ code: 'unauthorized', reason: gate.login }) }
  }
  if (gate.only && !gate.only.may(req))
    return { refusal: refusalResponse({ code: 'forbidden', reason: gate.only.reason }) }
  const storyId = Number(req.routeParams?.id)
  if (!Number.isInteger(storyId) || storyId <= 0)
    return {
      refusal: refusalResponse({
        code: 'bad_id',
        reason: { en: 'the story id must be a number', zh: '稿件 id 必须是数字' },
      }),
    }
  const story = await req.payload.findByID({
    collection: collectionSlugs.stories,
    id: storyId,
    draft: true,
    depth: 0,
    disableErrors: true,
    req,
    ...(gate.isServerRead ? { overrideAccess: true } : { overrideAccess: false, user: req.user }),
  })
  if (!story)
    return {
      refusal: refusalResponse({
        code: 'not_found',
        reason: { en: `there is no story ${storyId}`, zh: `没有稿件 ${storyId}` },
      }),
    }
  return { story }
}
