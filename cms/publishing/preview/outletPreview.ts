import type { Payload } from 'payload'
import { ninjsPreview, rssItemPreview } from './feedPreviews.ts'
import { previewPlate } from './previewPlate.ts'
import { previewPrint } from './printPreview.ts'
import { buildPrintProofPage } from './printProofPage.ts'
import { type PreviewVersion, readPreviewStory } from './readPreviewStory.ts'
import { previewTv } from './tvPreview.ts'
import { buildTvScriptPage } from './tvScriptPage.ts'
import { renderWebPreview } from './webPreview.ts'
import { wechatPreviewPage } from './wechatPreview.ts'

/** The outlets a story is previewed in, each a tab of the 预览 view. */
export const previewOutlets = ['web', 'rss', 'ninjs', 'print', 'wechat', 'tv'] as const
export type PreviewOutlet = (typeof previewOutlets)[number]

export const isPreviewOutlet = (value: unknown): value is PreviewOutlet =>
  previewOutlets.includes(value as PreviewOutlet)

/** Each outlet's tab, as editors know it. */
export const outletLabels: Record<PreviewOutlet, string> = {
  web: '网站',
  rss: 'RSS',
  ninjs: 'ninjs',
  print: '报纸',
  wechat: '公众号',
  tv: '电视',
}

/** One outlet's view of a version of a story: its bytes and their media type. */
export interface OutletPreview {
  body: string
  contentType: string
  version: PreviewVersion
}

/**
 * A version of the story (the newest unless `versionId`) as `outlet` would carry it, made by
 * that outlet's own renderer from the same plate: the site page, the RSS item, the partner's
 * ninjs item, the print column's styled text and fit, the WeChat article, the TV script.
 * Nothing is written anywhere: a preview never enters the site, a feed or an export.
 */
export async function renderOutletPreview({
  payload,
  storyId,
  outlet,
  versionId = null,
  columnId = null,
  programmeId = null,
  siteUrl,
  mediaUrl,
  banner = null,
  now = new Date(),
}: {
  payload: Payload
  storyId: number
  outlet: PreviewOutlet
  versionId?: string | null
  /** 报纸: the column to fit a story planned in no issue to. */
  columnId?: number | null
  /** 电视: the programme to time a story planned in no episode at. */
  programmeId?: number | null
  /** The public site's origin: the feeds' and the page's own links. */
  siteUrl: string
  /** Where the viewer's browser fetches an image file of the story. */
  mediaUrl: (filename: string) => string
  /** 网站: a line above the page (the share link's). */
  banner?: string | null
  now?: Date
}): Promise<OutletPreview> {
  const { doc, version } = await readPreviewStory({ payload, storyId, versionId })
  const plate = await previewPlate({ payload, doc, now })
  const html = 'text/html; charset=utf-8'
  switch (outlet) {
    case 'web':
      return {
        body: await renderWebPreview({ payload, plate, siteUrl, mediaUrl, banner }),
        contentType: html,
        version,
      }
    case 'rss':
      return {
        body: rssItemPreview({ plate, siteUrl, now }),
        contentType: 'text/xml; charset=utf-8',
        version,
      }
    case 'ninjs':
      return {
        body: `${JSON.stringify(ninjsPreview({ plate, siteUrl }), null, 2)}\n`,
        contentType: 'application/json; charset=utf-8',
        version,
      }
    case 'print':
      return {
        body: buildPrintProofPage({ preview: await previewPrint({ payload, doc, columnId }) }),
        contentType: html,
        version,
      }
    case 'wechat':
      return { body: wechatPreviewPage({ doc, plate, mediaUrl }), contentType: html, version }
    case 'tv':
      return {
        body: buildTvScriptPage({ preview: await previewTv({ payload, doc, programmeId }) }),
        contentType: html,
        version,
      }
  }
}
