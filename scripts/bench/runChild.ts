import { spawnScript } from '../lib/run.ts'

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
    const child = spawnScript({ script, args, env, stdio: ['ignore', 'pipe', 'inherit'] })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
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
  return lastJsonLine<T>(await runChild({ script, env }), script)
}

/** The JSON of the last line of a script's output that starts with `{`; `what` names the script in an error. */
export function lastJsonLine<T>(output: string, what = 'the script'): T {
  const line = output
    .trim()
    .split('\n')
    .findLast((l) => l.startsWith('{'))
  if (!line) throw new Error(`${what} printed no result`)
  return JSON.parse(line) as T
}
