/**
 * Fixed windows per key, in this server process's memory: the login limit (behind several
 * kitchens each allows it, see docs/security.md), and what a process counts on its own while
 * the database does not answer the shared partner limits (see sharedRateLimit.ts).
 */
const windows = new Map<string, { startedAt: number; windowMs: number; count: number }>()
const PRUNE_AT = 10_000

function prune(now: number): void {
  for (const [key, window] of windows) if (now - window.startedAt >= window.windowMs) windows.delete(key)
}

/**
 * Counts one request under `key`; returns the seconds to wait when the key is over its
 * limit for the current window, or null when the request may go on.
 */
export function takeRequest({
  key,
  limit,
  windowMs = 60_000,
  now = Date.now(),
}: {
  key: string
  limit: number
  windowMs?: number
  now?: number
}): number | null {
  if (windows.size >= PRUNE_AT) prune(now)
  const current = windows.get(key)
  const window =
    current && now - current.startedAt < windowMs ? current : { startedAt: now, windowMs, count: 0 }
  window.count += 1
  windows.set(key, window)
  if (window.count <= limit) return null
  return Math.max(1, Math.ceil((window.startedAt + windowMs - now) / 1000))
}
