import { spawn } from 'node:child_process'
import path from 'node:path'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { buildAdmin, isAdminBuildCurrent } from '../../scripts/lib/adminBuild.ts'
import { stopChild, waitForAnswer } from '../../scripts/lib/run.ts'

export type KitchenServer = { url: string; stop: () => Promise<void> }

/**
 * The production Next.js server (`next start cms`) on a free port, on whatever database
 * and media folder the environment names; builds the admin first when its build is stale.
 */
export async function startKitchenServer(): Promise<KitchenServer> {
  if (!(await isAdminBuildCurrent())) await buildAdmin()
  const port = await findFreePort()
  const child = spawn(
    path.join(projectRoot, 'node_modules', '.bin', 'next'),
    ['start', 'cms', '--port', String(port)],
    {
      cwd: projectRoot,
      // PORT also names the trusted origin (Payload's CSRF allowlist) when no HONGYAN_SERVER_URL is set.
      env: { ...process.env, HONGYAN_ROOT: projectRoot, NEXT_TELEMETRY_DISABLED: '1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const output: string[] = []
  // HONGYAN_DEBUG_SERVER=1 shows the server's own log while a test runs.
  const echo = process.env.HONGYAN_DEBUG_SERVER === '1'
  child.stdout?.on('data', (chunk: Buffer) =>
    echo ? process.stderr.write(chunk) : output.push(chunk.toString()),
  )
  child.stderr?.on('data', (chunk: Buffer) =>
    echo ? process.stderr.write(chunk) : output.push(chunk.toString()),
  )
  const url = `http://127.0.0.1:${port}`
  await waitForAnswer({ url: `${url}/api/users/me`, child }).catch((err: unknown) => {
    throw new Error(`${String(err)}: ${output.join('').slice(-2000)}`)
  })
  return { url, stop: () => stopChild(child) }
}
