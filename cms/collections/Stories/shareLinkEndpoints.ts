import type { Endpoint, PayloadRequest } from 'payload'
import type { User } from '../../payload-types.ts'
import { previewFailure, previewRefusal, refusePreview } from '../../publishing/preview/previewGate.ts'
import { staffPreviewHeaders } from '../../publishing/preview/previewHeaders.ts'
import {
  createShareLink,
  DEFAULT_SHARE_HOURS,
  MAX_SHARE_HOURS,
  openShareLinks,
  sharePath,
} from '../../publishing/preview/shareLinks.ts'

const share = { zh: '分享这篇稿件的预览', en: 'share a preview of this story' }

/**
 * Share links (预览链接) to a story's web preview, for editors and the story's own reporter:
 * - `POST /api/stories/:id/preview-links[?hours=1..168]` → 201 `{ id, url, expiresAt }`, the
 *   URL shown this once (only its token's hash is kept), valid 24 hours unless asked;
 * - `GET /api/stories/:id/preview-links` → `{ links: [{ id, expiresAt, createdAt, createdBy }] }`,
 *   the story's links that still open.
 * A link is revoked with `DELETE /api/preview-links/:id` (or `POST /api/preview-links/:id/revoke`).
 */
export const shareLinkEndpoints: Endpoint[] = [
  {
    path: '/:id/preview-links',
    method: 'post',
    handler: (req) =>
      sharing(req, async (storyId) => {
        const hours = hoursOf(new URL(req.url ?? 'http://localhost/').searchParams.get('hours'))
        if (hours === null)
          return previewRefusal({
            code: 'bad_request',
            reason: {
              en: `hours must be a whole number from 1 to ${MAX_SHARE_HOURS}`,
              zh: `hours 必须是 1 到 ${MAX_SHARE_HOURS} 的整数`,
            },
          })
        const { link, token } = await createShareLink({
          payload: req.payload,
          storyId,
          userId: (req.user as User).id,
          hours,
        })
        return Response.json(
          { id: link.id, url: `${originOf(req)}${sharePath(token)}`, expiresAt: link.expiresAt },
          { status: 201, headers: staffPreviewHeaders },
        )
      }),
  },
  {
    path: '/:id/preview-links',
    method: 'get',
    handler: (req) =>
      sharing(req, async (storyId) => {
        const links = await openShareLinks({ payload: req.payload, storyId })
        return Response.json(
          {
            links: links.map((link) => ({
              id: link.id,
              expiresAt: link.expiresAt,
              createdAt: link.createdAt,
              createdBy: typeof link.createdBy === 'object' ? (link.createdBy?.name ?? null) : null,
            })),
          },
          { headers: staffPreviewHeaders },
        )
      }),
  },
]

async function sharing(req: PayloadRequest, work: (storyId: number) => Promise<Response>): Promise<Response> {
  try {
    const refused = await refusePreview({ req, storyId: req.routeParams?.id, action: share })
    return refused ?? (await work(Number(req.routeParams?.id)))
  } catch (err) {
    return previewFailure({ req, err })
  }
}

/** `?hours=`: absent means the default; else a whole number of hours up to a week. */
function hoursOf(value: string | null): number | null {
  if (value === null || value === '') return DEFAULT_SHARE_HOURS
  if (!/^\d{1,3}$/.test(value)) return null
  const hours = Number(value)
  return hours >= 1 && hours <= MAX_SHARE_HOURS ? hours : null
}

/** The kitchen's public address (HONGYAN_SERVER_URL), else the one the request came to. */
function originOf(req: PayloadRequest): string {
  const configured = req.payload.config.serverURL
  return configured ? configured.replace(/\/+$/, '') : new URL(req.url ?? 'http://localhost/').origin
}
