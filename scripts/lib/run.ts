import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'

/** A binary from node_modules/.bin, run with this process's environment. */
export function spawnBin({ bin, args }: { bin: string; args: string[] }): ChildProcess {
  return spawn(path.join(projectRoot, 'node_modules', '.bin', bin), args, {
    cwd: projectRoot,
    env: process.env,
    stdio: 'inherit',
  })
}

/** Resolves when the child exits with 0; otherwise rejects with one line saying which failed. */
export function waitForExit({ child, what }: { child: ChildProcess; what: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${what} could not start: ${err.message}`)))
    child.once('exit', (code, signal) => {
      if (code === 0) resolve()
      else reject(new Error(`${what} failed (${signal ?? `exit code ${code}`})`))
    })
  })
}

export function runBin({ bin, args, what }: { bin: string; args: string[]; what: string }): Promise<void> {
  return waitForExit({ child: spawnBin({ bin, args }), what })
}

/** Resolves once `url` answers 2xx; rejects when `child` exits first or `timeoutMs` passes. */
export async function waitForAnswer({
  url,
  child,
  timeoutMs = 60_000,
  intervalMs = 100,
}: {
  url: string
  child: ChildProcess
  timeoutMs?: number
  intervalMs?: number
}): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the server exited (${child.signalCode ?? `exit code ${child.exitCode}`}) before answering`,
      )
    }
    const isUp = await fetch(url).then(
      (response) => response.ok,
      () => false,
    )
    if (isUp) return
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`no answer from ${url} within ${Math.round(timeoutMs / 1000)} s`)
}

/** Sends SIGTERM and resolves when the child has exited (at once if it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
