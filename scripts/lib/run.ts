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
