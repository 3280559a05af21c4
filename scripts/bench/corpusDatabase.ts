import path from 'node:path'
import { ensureDatabase } from '../../cms/db/ensureDatabase.ts'
import { dataDir, projectRoot } from '../../cms/paths.ts'
import { runChild } from './runChild.ts'

export const BENCH_ADMIN = { email: 'admin@hongyan.local', password: 'bench-admin-password-1' }

/** What a benchmark on a corpus is asked for: how many runs, on a corpus of how many stories. */
export type CorpusBenchOptions = { runs: number; stories: number }

/**
 * A database of its own for a corpus of `stories` stories (`hongyan_bench_<n>` on the
 * kitchen's Postgres server), generated once and topped up, with its own media and dist
 * folders under .data/bench/: benchmarks never touch the newsroom's data. Returns the
 * environment every process of the benchmark runs with.
 */
export async function corpusEnvironment({ stories, seed = 1 }: { stories: number; seed?: number }) {
  const url = new URL(String(process.env.DATABASE_URL))
  url.pathname = `/hongyan_bench_${stories}`
  await ensureDatabase({ url: url.toString() })
  const benchDir = path.join(dataDir, 'bench', String(stories))
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url.toString(),
    HONGYAN_MEDIA_DIR: path.join(benchDir, 'media'),
    HONGYAN_DIST_DIR: path.join(benchDir, 'dist'),
    HONGYAN_ADMIN_EMAIL: BENCH_ADMIN.email,
    HONGYAN_ADMIN_PASSWORD: BENCH_ADMIN.password,
    HONGYAN_ROOT: projectRoot,
    // A backup and its verification when the worker starts would weigh on the figures.
    HONGYAN_BACKUP_EVERY: 'off',
  }
  await runChild({ script: 'scripts/bench/corpus.ts', args: [String(stories), String(seed)], env })
  return env
}
