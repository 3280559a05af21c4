/**
 * Settings Payload needs when its config is built. `npm start`, `npm run dev`, the seed
 * and the tests fill them in (an embedded database, a generated secret) when unset:
 * see scripts/lib/environment.ts.
 */
export function serverSettings(): { secret: string; serverUrl: string; databaseUrl: string } {
  const secret = process.env.PAYLOAD_SECRET
  if (!secret) {
    throw new Error(
      'PAYLOAD_SECRET is not set: start Hongyan with `npm start` / `npm run dev`, or set it (see README, "Configuration")',
    )
  }
  return {
    secret,
    serverUrl: process.env.HONGYAN_SERVER_URL ?? '',
    databaseUrl: process.env.DATABASE_URL ?? '',
  }
}
