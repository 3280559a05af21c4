import type { Migration, Payload } from 'payload'

/**
 * Payload's Local API on the database in DATABASE_URL, with every committed migration
 * applied. Loaded lazily: the config may only be imported once the environment is ready.
 */
export async function loadMigratedPayload({ cron = false }: { cron?: boolean } = {}): Promise<Payload> {
  const [{ getPayload }, { default: config }, { migrations }] = await Promise.all([
    import('payload'),
    import('../../cms/payload.config.ts'),
    import('../../cms/migrations/index.ts'),
  ])
  const payload = await getPayload({ config, cron })
  // Payload types a migration's argument as `unknown`, which its generated files cannot match.
  await payload.db.migrate({ migrations: migrations as unknown as Migration[] })
  return payload
}

/**
 * Stops Payload's timers and closes its connection pool. The Postgres adapter keeps one
 * client checked out for good, so `pool.end()` never settles: it is started, not awaited
 * (connections cut while shutting down are only logged: see cms/db/logPoolErrors.ts).
 */
export async function closePayload(payload: Payload): Promise<void> {
  await payload.destroy()
  void (payload.db as { pool?: { end: () => Promise<void> } }).pool?.end()
}
