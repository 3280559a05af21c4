import type { Payload } from 'payload'
import { poolOf } from './pool.ts'

/**
 * A pooled connection that Postgres drops (a restart, a shutdown, a network cut) emits
 * 'error', which kills the process when nobody listens: the pool listens only while the
 * connection is idle, and a connection checked out (a query under way, a transaction, a lock
 * held) reports it on the connection itself. The query in flight fails with its own error;
 * the pool discards the broken connection and opens a new one on demand, so a log line is
 * enough for both.
 */
export function logPoolErrors(payload: Payload): void {
  const pool = poolOf(payload)
  const warn = (err: Error) => {
    payload.logger.warn({ msg: `a pooled database connection was dropped: ${err.message}` })
  }
  pool.on('error', warn)
  // Every connection as it is checked out: also those opened before this hook ran (Payload's
  // own start-up queries), which 'connect' alone would miss.
  const heard = new WeakSet<object>()
  pool.on('acquire', (client) => {
    if (heard.has(client)) return
    heard.add(client)
    client.on('error', warn)
  })
}
