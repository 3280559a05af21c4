import type { Payload } from 'payload'
import { poolOf } from './pool.ts'

/**
 * Whether an error means the database does not answer (stopped, restarting, unreachable, out
 * of connections), as opposed to one that answered with an error of the query. A caller turns
 * the first into a 503 with Retry-After: the request may well succeed when tried again.
 * Payload and its Drizzle adapter wrap the driver's error (`cause`), and Node's connect may
 * report one error per address tried (`errors`), so the whole chain is looked at.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>()
  const queue: unknown[] = [err]
  while (queue.length > 0) {
    const current = queue.shift()
    if (!current || typeof current !== 'object' || seen.has(current)) continue
    seen.add(current)
    const { code, message, cause, errors } = current as {
      code?: unknown
      message?: unknown
      cause?: unknown
      errors?: unknown
    }
    if (typeof code === 'string' && (unreachableCodes.has(code) || code.startsWith('08'))) return true
    if (typeof message === 'string' && lostConnection.test(message)) return true
    queue.push(cause, ...(Array.isArray(errors) ? errors : []))
  }
  return false
}

/**
 * Whether the database answers a trivial query now. For a caller that met no error of its own
 * but may be looking at one's consequence: Payload takes a token it could not check against
 * the users table (the database being down) for no token at all.
 */
export async function isDatabaseAnswering(payload: Payload): Promise<boolean> {
  try {
    await poolOf(payload).query('select 1')
    return true
  } catch (err) {
    if (isDatabaseUnavailable(err)) return false
    throw err
  }
}

/**
 * Socket errors of a connection that cannot be made or was cut, and the SQLSTATEs of a server
 * shutting down, starting up or out of connections (class 08, connection exceptions, is
 * matched by its prefix).
 */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
])

/** What `pg` says, without a code, when a connection is lost or cannot be had in time. */
const lostConnection =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|connection error/i
