import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'

/** A binary from node_modules/.bin, run from the project root (with this process's environment unless given). */
export function spawnBin({
  bin,
  args,
  env = process.env,
  stdio = 'inherit',
  isDetached = false,
}: {
  bin: string
  args: string[]
  env?: NodeJS.ProcessEnv
  stdio?: StdioOptions
  /** leads a process group of its own (so a test can kill all it starts) */
  isDetached?: boolean
}): ChildProcess {
  return spawn(path.join(projectRoot, 'node_modules', '.bin', bin), args, {
    cwd: projectRoot,
    env,
    stdio,
    detached: isDetached,
  })
}

/**
 * A TypeScript script of the project in a Node process of its own: one process, not tsx's
 * launcher and its child, so that a signal sent to its pid (SIGKILL too) reaches the script.
 */
export function spawnScript({
  script,
  args = [],
  env = process.env,
  stdio = 'inherit',
  isDetached = false,
}: {
  script: string
  args?: string[]
  env?: NodeJS.ProcessEnv
  stdio?: StdioOptions
  isDetached?: boolean
}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    env,
    stdio,
    detached: isDetached,
  })
}

/**
 * What `child` prints (stdout and stderr, as they arrive), only its last `maxChars` characters
 * kept: enough to say why it failed, never a buffer that grows for as long as the child runs.
 */
export function keepOutputTail({ child, maxChars }: { child: ChildProcess; maxChars: number }): () => string {
  let kept = ''
  const keep = (chunk: Buffer) => {
    kept = (kept + chunk.toString()).slice(-maxChars)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => kept
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

/** A server a script started: its child process and where it answers. */
export type RunningServer = {
  /** On loopback, e.g. `http://127.0.0.1:41234` */
  url: string
  child: ChildProcess
  stop: () => Promise<void>
}

/**
 * The server `child` runs at `url`, once `url` + `readyPath` answers; if it never does, the
 * child is stopped and the error names what `lastOutput` returns (the end of its log).
 */
export async function serverOnceAnswering({
  child,
  url,
  readyPath,
  timeoutMs,
  intervalMs,
  lastOutput = () => '',
}: {
  child: ChildProcess
  url: string
  readyPath: string
  timeoutMs?: number
  intervalMs?: number
  lastOutput?: () => string
}): Promise<RunningServer> {
  try {
    await waitForAnswer({ url: `${url}${readyPath}`, child, timeoutMs, intervalMs })
  } catch (err) {
    await stopChild(child)
    const output = lastOutput()
    throw new Error(`${(err as Error).message}${output ? `: ${output}` : ''}`)
  }
  return { url, child, stop: () => stopChild(child) }
}

/** Sends SIGTERM and resolves when the child has exited (at once if it already has). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/**
 * SIGTERM, then SIGKILL if the child has not exited within `graceMs` (a worker finishes its
 * running site build before it stops, which takes minutes on a large corpus; the next build
 * clears what a killed one leaves).
 */
export async function stopWithin({ child, graceMs = 20_000 }: { child: ChildProcess; graceMs?: number }) {
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await stopChild(child)
  clearTimeout(timer)
}
