import { type ChildProcess, spawn } from 'node:child_process'
import { projectRoot } from '../../cms/paths.ts'

/**
 * `npm run worker` as a real process; resolves once it is polling. One process, not tsx's
 * launcher and its child, so that SIGKILL really kills the worker.
 */
export async function startWorkerProcess({ env }: { env: Record<string, string> }): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.kill('SIGKILL')
      reject(new Error(`worker did not start: ${output}`))
    }, 60_000)
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000)
      if (output.includes('running due jobs')) {
        clearTimeout(timer)
        resolve()
      }
    }
    worker.stdout?.on('data', onData)
    worker.stderr?.on('data', onData)
    worker.once('exit', (code) => reject(new Error(`worker exited (${code}): ${output}`)))
  })
  return worker
}
