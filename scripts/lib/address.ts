import { siteOrigin } from '../../cms/publishing/siteOrigin.ts'

/** The port the kitchen listens on: PORT, else 3000. */
export function listenPort(): number {
  const port = Number(process.env.PORT ?? 3000)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`PORT must be a port number, not "${process.env.PORT}"`)
  }
  return port
}

export function adminUrl(): string {
  const base = process.env.HONGYAN_SERVER_URL || `http://localhost:${listenPort()}`
  return `${base.replace(/\/$/, '')}/admin`
}

/** The port the public website is served on: SITE_PORT, else 4321. */
export function sitePort(): number {
  const port = Number(process.env.SITE_PORT ?? 4321)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`SITE_PORT must be a port number, not "${process.env.SITE_PORT}"`)
  }
  return port
}

/** The website's public origin (canonical URLs, feeds): HONGYAN_SITE_URL, else the local server. */
export function siteUrl(): string {
  return siteOrigin()
}

/** The port of the partner feed server (`npm run feeds`): FEEDS_PORT, else 3001. */
export function feedsPort(): number {
  const port = Number(process.env.FEEDS_PORT ?? 3001)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`FEEDS_PORT must be a port number, not "${process.env.FEEDS_PORT}"`)
  }
  return port
}
