import type { Payload } from 'payload'
import { poolOf } from './pool.ts'

/**
 * An idle pooled connection that Postgres drops (a restart, a shutdown, a network cut)
 * makes the pool emit 'error', which kills the process when nobody listens. The pool
 * discards that connection and opens a new one on demand, so a log line is enough.
 */
export function logPoolErrors(payload: Payload): void {
  poolOf(payload).on('error', (err) => {
    payload.logger.warn({ msg: `a pooled database connection was dropped: ${err.message}` })
  })
}
