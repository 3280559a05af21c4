/** How any uploaded file is served (by Payload and by the site): an image, never a page that runs. */
export const mediaContentSecurityPolicy =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
