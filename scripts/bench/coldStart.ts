import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { ensureAdminBuild } from '../lib/adminBuild.ts'
import { startKitchenServer } from '../lib/kitchenServer.ts'
import { runBin } from '../lib/run.ts'
import type { Figure } from './report.ts'

/**
 * Kitchen cold start: from launching the production server (`next start cms`, build
 * already made, database running) to its first REST answer, a fresh process each run.
 */
export async function benchColdStart({ runs }: { runs: number }): Promise<Figure[]> {
  await runBin({ bin: 'tsx', args: ['scripts/prepare.ts'], what: 'migrations and demo content' })
  await ensureAdminBuild()
  const samples: number[] = []
  for (let run = 0; run < runs; run += 1) {
    const port = await findFreePort()
    const started = performance.now()
    const server = await startKitchenServer({
      port,
      output: 'ignore',
      readyPath: '/api/stories?limit=1',
      timeoutMs: 60_000,
      intervalMs: 20,
    })
    samples.push(performance.now() - started)
    await server.stop()
  }
  return [{ name: 'cold start → first API answer', unit: 'ms', samples, goal: '≤ 3000 ms' }]
}
