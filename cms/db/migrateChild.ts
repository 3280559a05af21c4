import { randomBytes } from 'node:crypto'
import { migrationsDir } from '../paths.ts'
import { applyMigrations, CHILD_FAILURE_PREFIX } from './migrations.ts'
import { poolOf } from './pool.ts'

/**
 * The child process of `migrateDatabase`: this code's migrations applied to DATABASE_URL.
 * The migrations are SQL of their own and Payload's migrator needs only its migrations table,
 * so the Payload here knows no collections: nothing above the database layer is loaded, and
 * no secret is needed (a random one signs nothing).
 */
try {
  const databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) throw new Error('DATABASE_URL names no database to migrate')
  const [{ buildConfig, getPayload }, { postgresAdapter }] = await Promise.all([
    import('payload'),
    import('@payloadcms/db-postgres'),
  ])
  const config = buildConfig({
    secret: randomBytes(32).toString('hex'),
    db: postgresAdapter({
      pool: { connectionString: databaseUrl },
      push: false,
      migrationDir: migrationsDir,
    }),
    telemetry: false,
    typescript: { autoGenerate: false },
  })
  const payload = await getPayload({ config, cron: false })
  await applyMigrations({ payload })
  await payload.destroy()
  // The adapter keeps one client checked out for good: the pool's end never settles.
  void poolOf(payload).end()
  process.exit(0)
} catch (err) {
  console.error(`${CHILD_FAILURE_PREFIX}${((err as Error).message ?? String(err)).split('\n')[0]}`)
  process.exit(1)
}
