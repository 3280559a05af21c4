import path from 'node:path'
import type { Migration, Payload } from 'payload'
import { runTool } from '../lib/runTool.ts'
import { cmsDir, projectRoot } from '../paths.ts'

/** The names of this code's committed migrations, sorted. */
export async function migrationNames(): Promise<string[]> {
  const { migrations } = await import('../migrations/index.ts')
  return migrations.map((migration) => migration.name).sort()
}

/**
 * Applies every committed migration the database of `payload` has not had yet, through
 * Payload's migrator (`npm run migrate`, every script's start). Payload's migrator ends the
 * process when a migration fails: see `migrateDatabase` to survive that.
 */
export async function applyMigrations({ payload }: { payload: Payload }): Promise<void> {
  const { migrations } = await import('../migrations/index.ts')
  // Payload types a migration's argument as `unknown`, which its generated files cannot match.
  await payload.db.migrate({ migrations: migrations as unknown as Migration[] })
}

/**
 * `applyMigrations` on the database at `databaseUrl`, in a child process: Payload's migrator
 * exits its process on a failed migration, and this process may run Payload on another
 * database. Rejects with one line: the failed migration and its cause.
 */
export async function migrateDatabase({ databaseUrl }: { databaseUrl: string }): Promise<void> {
  // Payload logs a failed migration over many lines: its name, the query, and the cause.
  let migration: string | undefined
  let cause: string | undefined
  let ownLine: string | undefined
  await runTool({
    command: process.execPath,
    args: ['--import', 'tsx', path.join(cmsDir, 'db', 'migrateChild.ts')],
    name: 'the migrations',
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    isStdoutRead: true,
    onLine: (line) => {
      migration ??= /Error running migration (\S+)/.exec(line)?.[1]
      cause = /caused by: (?:error: )?(.*)$/.exec(line)?.[1] ?? cause
      if (line.startsWith(CHILD_FAILURE_PREFIX)) ownLine = line.slice(CHILD_FAILURE_PREFIX.length)
    },
    failure: ({ code, signal }) => {
      const why = migration
        ? `${migration}: ${cause ?? 'see npm run migrate'}`
        : (ownLine ?? signal ?? `exit code ${code}`)
      return new Error(`the migrations failed on the target: ${why.trim()}`)
    },
  })
}

/** How the child process says why it failed, when Payload has not said it. */
export const CHILD_FAILURE_PREFIX = 'hongyan: '
