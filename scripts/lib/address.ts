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
