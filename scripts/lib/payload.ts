import type { Payload } from 'payload'
import { applyMigrations } from '../../cms/db/migrations.ts'
import { poolOf } from '../../cms/db/pool.ts'
import { indexSearchIfIncomplete } from '../../cms/publishing/search/searchEntries.ts'

/**
 * Payload's Local API on the database in DATABASE_URL, with every committed migration
 * applied (and search indexed, the first time, see indexSearchIfIncomplete). Loaded lazily: the config may only be imported once the environment is ready.
 */
export async function loadMigratedPayload({ cron = false }: { cron?: boolean } = {}): Promise<Payload> {
  const [{ getPayload }, { default: config }] = await Promise.all([
    import('payload'),
    import('../../cms/payload.config.ts'),
  ])
  const payload = await getPayload({ config, cron })
  await applyMigrations({ payload })
  await indexSearchIfIncomplete({ payload })
  return payload
}

/**
 * Stops Payload's timers and closes its connection pool. The Postgres adapter keeps one
 * client checked out for good, so `pool.end()` never settles: it is started, not awaited
 * (connections cut while shutting down are only logged: see cms/db/logPoolErrors.ts).
 */
export async function closePayload(payload: Payload): Promise<void> {
  await payload.destroy()
  void poolOf(payload).end()
}
