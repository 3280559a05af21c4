import path from 'node:path'
import { dataDir } from '../paths.ts'
import { type RunningDatabase, startEmbeddedPostgres } from './embeddedPostgres.ts'
import { ensureDatabase, redact } from './ensureDatabase.ts'

/**
 * The database Hongyan runs on: the server named by `DATABASE_URL` when it is set,
 * otherwise an embedded Postgres with its data in `.data/postgres/`.
 */
export async function openDatabase(): Promise<RunningDatabase & { description: string }> {
  const external = process.env.DATABASE_URL
  if (external) {
    await ensureDatabase({ url: external })
    return { url: external, isOwned: false, stop: async () => {}, description: redact(external) }
  }
  const dir = path.join(dataDir, 'postgres')
  const running = await startEmbeddedPostgres({ dataDir: dir, database: 'hongyan' })
  return { ...running, description: `embedded Postgres in ${dir} (${redact(running.url)})` }
}
