import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { buildAdmin, isAdminBuildCurrent } from '../lib/adminBuild.ts'
import { runBin } from '../lib/run.ts'
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
      await firstAnswer({ url: `http://127.0.0.1:${port}/api/stories?limit=1`, server })
      samples.push(performance.now() - started)
    } finally {
      await stop(server)
    }
  }
  return [{ name: 'cold start → first API answer', unit: 'ms', samples, goal: '≤ 3000 ms' }]
}

async function firstAnswer({ url, server }: { url: string; server: ChildProcess }): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`)
    const isUp = await fetch(url).then(
      (response) => response.ok,
      () => false,
    )
    if (isUp) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no answer from ${url} within 60 s`)
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    server.once('exit', () => resolve())
    server.kill('SIGTERM')
  })
}
