/**
 * Settings Payload needs when its config is built. `npm start`, `npm run dev`, the seed
 * and the tests fill them in (an embedded database, a generated secret) when unset:
 * see scripts/lib/environment.ts.
 */
export function serverSettings(): {
  secret: string
  serverUrl: string
  databaseUrl: string
  trustedOrigins: string[]
  isSecureCookie: boolean
} {
  const secret = process.env.PAYLOAD_SECRET
  if (!secret) {
    throw new Error(
      'PAYLOAD_SECRET is not set: start Hongyan with `npm start` / `npm run dev`, or set it (see README, "Configuration")',
    )
  }
  const serverUrl = process.env.HONGYAN_SERVER_URL ?? ''
  return {
    secret,
    serverUrl,
    databaseUrl: process.env.DATABASE_URL ?? '',
    trustedOrigins: trustedOrigins({ serverUrl }),
    isSecureCookie: process.env.HONGYAN_SECURE_COOKIES
      ? process.env.HONGYAN_SECURE_COOKIES === '1'
      : serverUrl.startsWith('https://'),
  }
}

/**
 * The origins whose browser requests may carry an editor's session cookie (Payload's CSRF
 * allowlist): the public admin address, HONGYAN_TRUSTED_ORIGINS (comma-separated), and
 * without either, the local addresses `npm start` listens on. Never empty: an empty list
 * would make Payload accept the cookie from any site.
 */
export function trustedOrigins({ serverUrl }: { serverUrl: string }): string[] {
  const listed = (process.env.HONGYAN_TRUSTED_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter(Boolean)
  const origins = [...(serverUrl ? [new URL(serverUrl).origin] : []), ...listed]
  if (origins.length > 0) return [...new Set(origins)]
  const port = process.env.PORT ?? '3000'
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`]
}
