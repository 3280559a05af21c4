import { spawn } from 'node:child_process'
import { projectRoot } from '../../cms/paths.ts'

/** Runs a TypeScript script in its own Node process with `env`; resolves with its stdout. */
export function runChild({
  script,
  args = [],
  env,
}: {
  script: string
  args?: string[]
  env: NodeJS.ProcessEnv
}) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: projectRoot,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      process.stdout.write(chunk)
    })
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${script} failed (exit code ${code})`)),
    )
  })
}

/**
 * Runs a benchmark's child script and returns the JSON of the last line it printed that
 * starts with `{` (its result; Payload's log lines come before it).
 */
export async function runChildForJson<T>({
  script,
  env,
}: {
  script: string
  env: NodeJS.ProcessEnv
}): Promise<T> {
  const output = await runChild({ script, env })
  const line = output
    .trim()
    .split('\n')
    .findLast((l) => l.startsWith('{'))
  if (!line) throw new Error(`${script} printed no result`)
  return JSON.parse(line) as T
}
