/** The public website's origin, for absolute links in feeds: HONGYAN_SITE_URL, else the local site server. */
export function siteOrigin(): string {
  return (process.env.HONGYAN_SITE_URL || `http://localhost:${process.env.SITE_PORT ?? 4321}`).replace(
    /\/+$/,
    '',
  )
}
