import type { Endpoint, PayloadRequest } from 'payload'
import { previewFailure, previewRefusal, refusePreview } from '../../publishing/preview/previewGate.ts'
import { staffPreviewHeaders } from '../../publishing/preview/previewHeaders.ts'
import { idOf, revokeShareLink } from '../../publishing/preview/shareLinks.ts'
import { collectionSlugs } from '../../slugs.ts'

const revoke = { zh: '撤销这篇稿件的预览链接', en: 'revoke share links of this story' }

/**
 * `DELETE /api/preview-links/:id` and `POST /api/preview-links/:id/revoke`: revokes a share
 * link, for whoever may share the story's preview (editors, the story's own reporter). The
 * link is kept with when it was revoked, so its token answers why it no longer opens; revoking
 * it again changes nothing. 200 `{ id, revokedAt }`.
 */
export const revokeEndpoints: Endpoint[] = [
  { path: '/:id', method: 'delete', handler: revoking },
  { path: '/:id/revoke', method: 'post', handler: revoking },
]

async function revoking(req: PayloadRequest): Promise<Response> {
  try {
    const id = Number(req.routeParams?.id)
    const link =
      Number.isInteger(id) && id > 0
        ? await req.payload.findByID({
            collection: collectionSlugs.previewLinks,
            id,
            depth: 0,
            overrideAccess: true,
            disableErrors: true,
          })
        : null
    // Whether the link exists is told only to whom the gate lets in.
    const refused = await refusePreview({ req, storyId: link ? idOf(link.story) : 0, action: revoke })
    if (refused && (link || refused.status === 401)) return refused
    if (!link)
      return previewRefusal({
        code: 'not_found',
        reason: {
          en: `there is no share link ${String(req.routeParams?.id)}`,
          zh: `没有预览链接 ${String(req.routeParams?.id)}`,
        },
      })
    const revoked = await revokeShareLink({ payload: req.payload, link })
    return Response.json({ id: revoked.id, revokedAt: revoked.revokedAt }, { headers: staffPreviewHeaders })
  } catch (err) {
    return previewFailure({ req, err })
  }
}
