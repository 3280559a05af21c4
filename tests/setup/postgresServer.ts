import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { startEmbeddedPostgres } from '../../cms/db/embeddedPostgres.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** a URL on the test Postgres server; each test file creates its own database there */
    postgresServerUrl: string
  }
}

/**
 * One Postgres server for the whole run, never the user's data: the server named by
 * DATABASE_URL (each test file then makes and drops its own database on it), or a
 * throw-away embedded server in a temporary folder.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('postgresServerUrl', process.env.DATABASE_URL)
    return
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'hongyan-test-pg-'))
  // The server runs as the unprivileged `postgres` user, which must reach its data folder.
  await chmod(dir, 0o755)
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    database: 'hongyan_test',
    isPersistent: false,
  })
  project.provide('postgresServerUrl', server.url)
  return async () => {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
