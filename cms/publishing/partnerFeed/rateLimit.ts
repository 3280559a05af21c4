/**
 * A fixed one-minute window per partner, in this server process's memory: enough for one
 * kitchen server; behind several, each allows the limit (see README, "Partner feeds").
 */
const windows = new Map<string, { startedAt: number; count: number }>()
const WINDOW_MS = 60_000

/** Counts one request; returns the seconds to wait when the partner is over its limit. */
export function takeRequest({
  key,
  limit,
  now = Date.now(),
}: {
  key: string
  limit: number
  now?: number
}): number | null {
  const current = windows.get(key)
  const window = current && now - current.startedAt < WINDOW_MS ? current : { startedAt: now, count: 0 }
  window.count += 1
  windows.set(key, window)
  if (window.count <= limit) return null
  return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000))
}
