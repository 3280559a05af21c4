/**
 * Every preview answer: never stored by a browser or a proxy, never indexed, never sniffed.
 * A preview is a draft: a cache or a search engine keeping it would publish it.
 */
export const previewHeaders = {
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'X-Content-Type-Options': 'nosniff',
} as const

/** Staff previews are framed by the admin's live preview, on the kitchen's own origin only. */
export const staffPreviewHeaders = {
  ...previewHeaders,
  'X-Frame-Options': 'SAMEORIGIN',
  'Content-Security-Policy': "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'",
  'Referrer-Policy': 'same-origin',
} as const

/**
 * A share link's pages are never framed, and never tell another site their address (the
 * token is in it): links from the page go out without a referrer.
 */
export const sharedPreviewHeaders = {
  ...previewHeaders,
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'none'",
  'Referrer-Policy': 'no-referrer',
} as const
