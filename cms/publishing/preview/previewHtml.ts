import { escapeHtml } from '../../channels/html.ts'

/** What a site page needs, and must lose, to be shown as a preview outside the site. */
export interface PreviewPageOptions {
  /** The page as the site's renderer rendered it. */
  html: string
  /** The image files the preview may show (see plateMediaFiles). */
  mediaFiles: ReadonlySet<string>
  /** Where the viewer's browser fetches one of those files (a URL only they may read). */
  mediaUrl: (filename: string) => string
  /** The public site's origin: the page's own links point there. */
  siteUrl: string
  /** A line shown above the page (the share link's reviewer is told it is not published). */
  banner?: string | null
}

/**
 * A page of the site turned into its preview: never indexed (`noindex`), images fetched from
 * the kitchen at URLs only the viewer may read (the files stay where they are; nothing is
 * copied into the site), and the page's own links (sections, tags, people, linked stories)
 * pointing at the public site, opened in a new tab, so a click never leaves the preview
 * pretending to be the site. Everything else is the page as it will be published.
 */
export function asPreviewPage({
  html,
  mediaFiles,
  mediaUrl,
  siteUrl,
  banner = null,
}: PreviewPageOptions): string {
  const origin = siteUrl.replace(/\/+$/, '')
  const head = '<meta name="robots" content="noindex, nofollow"><base target="_blank">'
  const bannerHtml = banner
    ? `<p role="note" data-preview-banner style="margin:0;padding:.5rem 1rem;background:#fff3cd;color:#5c4400;font-size:.9rem;text-align:center">${escapeHtml(banner)}</p>`
    : ''
  return html
    .replace(/<head>/, `<head>${head}`)
    .replace(/<body([^>]*)>/, `<body$1>${bannerHtml}`)
    .replace(/(\shref=")\/(?!\/)/g, `$1${origin}/`)
    .replace(/(["\s,])\/media\/([^"\s,<>]+)/g, (whole, before: string, encoded: string) => {
      const filename = safeDecode(encoded)
      return filename !== null && mediaFiles.has(filename) ? `${before}${mediaUrl(filename)}` : whole
    })
}

function safeDecode(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded)
  } catch {
    // Not percent-encoding the plate wrote: not one of the story's images.
    return null
  }
}
