import type { ChildProcess } from 'node:child_process'
import { spawnScript } from './run.ts'

/**
 * `npm run worker` as a real process (or `script`, another entry to the same worker loop),
 * with this process's environment and `env` over it; resolves once it is polling. One process,
 * not tsx's launcher and its child, so that SIGKILL really kills the worker.
 */
export async function startWorkerProcess({
  env,
  script = 'scripts/worker.ts',
}: {
  env: Record<string, string | undefined>
  script?: string
}): Promise<ChildProcess> {
  const worker = spawnScript({
    script,
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
