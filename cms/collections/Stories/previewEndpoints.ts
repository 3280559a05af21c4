import type { Endpoint, PayloadRequest } from 'payload'
import {
  isPreviewOutlet,
  previewOutlets,
  renderOutletPreview,
} from '../../publishing/preview/outletPreview.ts'
import { previewFailure, previewRefusal, refusePreview } from '../../publishing/preview/previewGate.ts'
import { staffPreviewHeaders } from '../../publishing/preview/previewHeaders.ts'
import { buildPreviewTabsPage } from '../../publishing/preview/previewTabsPage.ts'
import { listSavedVersions } from '../../publishing/preview/readPreviewStory.ts'
import { siteOrigin } from '../../publishing/site/siteOrigin.ts'
import { collectionSlugs } from '../../slugs.ts'
import { shareLinkEndpoints } from './shareLinkEndpoints.ts'

const preview = { zh: '预览这篇稿件', en: 'preview this story' }

/**
 * The 预览 view's endpoints, for staff who may preview the story (access/preview.ts), every
 * answer `private, no-store` and `noindex`:
 * - `GET /api/stories/:id/preview`: the tab page Payload's live preview shows beside the editor;
 * - `GET /api/stories/:id/preview/:outlet` (`web`, `rss`, `ninjs`, `print`, `wechat`, `tv`), the
 *   newest version or `?version=<id>`; 报纸 takes `?column=<id>`, 电视 `?programme=<id>`;
 * - `GET /api/stories/:id/preview-versions`: the saved versions, newest first;
 * - the share links (shareLinkEndpoints).
 */
export const previewEndpoints: Endpoint[] = [
  {
    path: '/:id/preview',
    method: 'get',
    handler: (req) =>
      previewing(req, async (storyId) => {
        const story = await req.payload.findByID({
          collection: collectionSlugs.stories,
          id: storyId,
          draft: true,
          depth: 0,
          overrideAccess: true,
          select: { title: true },
        })
        return html(buildPreviewTabsPage({ storyId, title: story.title }))
      }),
  },
  {
    path: '/:id/preview/:outlet',
    method: 'get',
    handler: (req) =>
      previewing(req, async (storyId) => {
        const outlet = req.routeParams?.outlet
        if (!isPreviewOutlet(outlet))
          return previewRefusal({
            code: 'not_found',
            reason: {
              en: `there is no outlet "${String(outlet)}": ${previewOutlets.join(', ')}`,
              zh: `没有渠道“${String(outlet)}”：可选 ${previewOutlets.join('、')}`,
            },
          })
        const query = new URL(req.url ?? 'http://localhost/').searchParams
        const { body, contentType, version } = await renderOutletPreview({
          payload: req.payload,
          storyId,
          outlet,
          versionId: query.get('version'),
          columnId: wholeNumber(query.get('column')),
          programmeId: wholeNumber(query.get('programme')),
          siteUrl: siteOrigin(),
          mediaUrl: (filename) => `/api/media/file/${encodeURIComponent(filename)}`,
        })
        return new Response(body, {
          headers: {
            ...staffPreviewHeaders,
            'Content-Type': contentType,
            'X-Hongyan-Version': String(version.id ?? ''),
          },
        })
      }),
  },
  {
    path: '/:id/preview-versions',
    method: 'get',
    handler: (req) =>
      previewing(req, async (storyId) =>
        Response.json(
          { versions: await listSavedVersions({ payload: req.payload, storyId }) },
          { headers: staffPreviewHeaders },
        ),
      ),
  },
  ...shareLinkEndpoints,
]

/** Runs `work` once the gate lets the user in, every failure answered as a refusal. */
async function previewing(
  req: PayloadRequest,
  work: (storyId: number) => Promise<Response>,
): Promise<Response> {
  try {
    const refused = await refusePreview({ req, storyId: req.routeParams?.id, action: preview })
    return refused ?? (await work(Number(req.routeParams?.id)))
  } catch (err) {
    return previewFailure({ req, err })
  }
}

const html = (body: string) =>
  new Response(body, { headers: { ...staffPreviewHeaders, 'Content-Type': 'text/html; charset=utf-8' } })

function wholeNumber(value: string | null): number | null {
  return value && /^\d{1,12}$/.test(value) ? Number(value) : null
}
