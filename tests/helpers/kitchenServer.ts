import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { buildAdmin, isAdminBuildCurrent } from '../../scripts/lib/adminBuild.ts'

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
      env: { ...process.env, HONGYAN_ROOT: projectRoot, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const output: string[] = []
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  const url = `http://127.0.0.1:${port}`
  await waitForAnswer({ url: `${url}/api/users/me`, child, output })
  return { url, stop: () => stopChild(child) }
}

async function waitForAnswer({ url, child, output }: { url: string; child: ChildProcess; output: string[] }) {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output.join('').slice(-2000)}`)
    const isUp = await fetch(url).then(
      (response) => response.ok,
      () => false,
    )
    if (isUp) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`next start did not answer at ${url} within 60 s: ${output.join('').slice(-2000)}`)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
