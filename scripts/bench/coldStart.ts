import { spawn } from 'node:child_process'
import path from 'node:path'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { buildAdmin, isAdminBuildCurrent } from '../lib/adminBuild.ts'
import { runBin, stopChild, waitForAnswer } from '../lib/run.ts'
import type { Figure } from './report.ts'

/**
 * Kitchen cold start: from launching the production server (`next start cms`, build
 * already made, database running) to its first REST answer, a fresh process each run.
 */
export async function benchColdStart({ runs }: { runs: number }): Promise<Figure[]> {
  await runBin({ bin: 'tsx', args: ['scripts/prepare.ts'], what: 'migrations and demo content' })
  if (!(await isAdminBuildCurrent())) await buildAdmin()
  const samples: number[] = []
  for (let run = 0; run < runs; run += 1) {
    const port = await findFreePort()
    const started = performance.now()
    const server = spawn(
      path.join(projectRoot, 'node_modules', '.bin', 'next'),
      ['start', 'cms', '--port', String(port)],
      {
        cwd: projectRoot,
        env: process.env,
        stdio: 'ignore',
      },
    )
    try {
      await waitForAnswer({
        url: `http://127.0.0.1:${port}/api/stories?limit=1`,
        child: server,
        intervalMs: 20,
      })
      samples.push(performance.now() - started)
    } finally {
      await stopChild(server)
    }
  }
  return [{ name: 'cold start → first API answer', unit: 'ms', samples, goal: '≤ 3000 ms' }]
}
