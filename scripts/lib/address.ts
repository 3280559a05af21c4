import { siteOrigin } from '../../cms/publishing/site/siteOrigin.ts'

/** The port the kitchen listens on: PORT, else 3000. */
export function listenPort(): number {
  return portFrom({ variable: 'PORT', fallback: 3000 })
}

export function adminUrl(): string {
  const base = process.env.HONGYAN_SERVER_URL || `http://localhost:${listenPort()}`
  return `${base.replace(/\/$/, '')}/admin`
}

/** The port the public website is served on: SITE_PORT, else 4321. */
export function sitePort(): number {
  return portFrom({ variable: 'SITE_PORT', fallback: 4321 })
}

/** The website's public origin (canonical URLs, feeds): HONGYAN_SITE_URL, else the local server. */
export function siteUrl(): string {
  return siteOrigin()
}

/** The port of the partner feed server (`npm run feeds`): FEEDS_PORT, else 3001. */
export function feedsPort(): number {
  return portFrom({ variable: 'FEEDS_PORT', fallback: 3001 })
}

function portFrom({ variable, fallback }: { variable: string; fallback: number }): number {
  const port = Number(process.env[variable] ?? fallback)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`${variable} must be a port number, not "${process.env[variable]}"`)
  }
  return port
}
