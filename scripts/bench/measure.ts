import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { projectRoot } from '../../cms/paths.ts'
import { startWorkerProcess } from '../../tests/helpers/workerProcess.ts'
import { buildAdmin, isAdminBuildCurrent } from '../lib/adminBuild.ts'
import { stopChild, waitForAnswer } from '../lib/run.ts'
import { BENCH_ADMIN } from './corpusDatabase.ts'

/** Shared by the benchmarks: measuring a process tree, the kitchen server, the worker. */

const TIME = '/usr/bin/time'

export interface Measured {
  /** Wall clock from spawn to exit. */
  ms: number
  /**
   * Peak resident memory in MB: the larger of the highest sum of VmRSS over the process and
   * all its descendants (sampled every 50 ms from /proc) and the largest single process's
   * maximum RSS (from `/usr/bin/time`, which catches a peak between two samples).
   */
  peakMb: number
  stdout: string
}

/**
 * Runs a command to completion and measures its wall clock and peak memory, children
 * included. Rejects with the end of its output when it exits with an error.
 */
export async function measureCommand({
  command,
  args,
  cwd = projectRoot,
  env = process.env,
}: {
  command: string
  args: string[]
  cwd?: string
  env?: NodeJS.ProcessEnv
}): Promise<Measured> {
  const hasTime = existsSync(TIME)
  const scratch = hasTime ? await mkdtemp(path.join(os.tmpdir(), 'hongyan-bench-time-')) : ''
  const timeFile = path.join(scratch, 'maxrss')
  const started = performance.now()
  const child = hasTime
    ? spawn(TIME, ['-f', '%M', '-o', timeFile, command, ...args], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let tail = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000)
  })
  let peakKb = 0
  let isRunning = true
  const sampling = (async () => {
    while (isRunning && child.pid) {
      // Under /usr/bin/time the measured tree is time's children, not time itself.
      const kb = await treeRssKb({ pid: child.pid, includeRoot: !hasTime })
      peakKb = Math.max(peakKb, kb)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (exitCode) => resolve(exitCode))
  })
  const ms = performance.now() - started
  isRunning = false
  await sampling
  if (hasTime) {
    const lines = (await readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n')
    peakKb = Math.max(peakKb, Number(lines.at(-1)) || 0)
    await rm(scratch, { recursive: true, force: true })
  }
  if (code !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed (exit code ${code}): ${tail.trim()}`)
  }
  return { ms, peakMb: peakKb / 1024, stdout }
}

/** Runs a TypeScript script in its own Node process (as runChild does), measured. */
export function measureScript({
  script,
  env,
}: {
  script: string
  env: NodeJS.ProcessEnv
}): Promise<Measured> {
  return measureCommand({ command: process.execPath, args: ['--import', 'tsx', script], env })
}

/** The JSON of the last line of a script's output that starts with `{`. */
export function lastJsonLine<T>(output: string): T {
  const line = output
    .trim()
    .split('\n')
    .findLast((l) => l.startsWith('{'))
  if (!line) throw new Error('the script printed no result')
  return JSON.parse(line) as T
}

/** Resident memory of a process and its descendants, in MB, from /proc (Linux). */
export async function processTreeMb(pid: number): Promise<number> {
  return (await treeRssKb({ pid, includeRoot: true })) / 1024
}

/** Sum of VmRSS (kB) of a process and its descendants, from /proc; 0 once it has gone. */
async function treeRssKb({ pid, includeRoot }: { pid: number; includeRoot: boolean }): Promise<number> {
  let total = 0
  if (includeRoot) total += await rssKb(pid)
  for (const child of await childrenOf(pid)) total += await treeRssKb({ pid: child, includeRoot: true })
  return total
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0)
}

/** A process's children: each of its threads lists the ones it forked. */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[])
  const lists = await Promise.all(
    tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
  )
  return lists.flatMap((list) => list.trim().split(/\s+/).filter(Boolean).map(Number))
}

/**
 * The `p`th percentile of the values: the one at index ⌊p/100 × n⌋ when sorted (so the 50th
 * is the median report.ts prints, and the 95th of fewer than 20 values is the largest).
 */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number
}

/**
 * The production admin build `next start` serves. Built when stale, unless
 * HONGYAN_BENCH_WAIT_FOR_ADMIN=1: then the bench waits (polling every 15 s, up to 30 min)
 * for someone else's build, as on a shared machine where only one `next build` may run.
 */
export async function ensureAdminBuild(): Promise<void> {
  if (await isAdminBuildCurrent()) return
  if (process.env.HONGYAN_BENCH_WAIT_FOR_ADMIN !== '1') {
    await buildAdmin()
    return
  }
  const deadline = Date.now() + 30 * 60_000
  console.log('bench: the admin build is stale; waiting for it to be rebuilt')
  while (!(await isAdminBuildCurrent())) {
    if (Date.now() > deadline) throw new Error('the admin build stayed stale for 30 min')
    await new Promise((resolve) => setTimeout(resolve, 15_000))
  }
}

export interface Kitchen {
  /** e.g. `http://127.0.0.1:41234` */
  base: string
  child: ChildProcess
  stop: () => Promise<void>
}

/** `next start cms` (the production kitchen) on a free port with the corpus's environment. */
export async function startKitchen({ env }: { env: NodeJS.ProcessEnv }): Promise<Kitchen> {
  await ensureAdminBuild()
  const port = await findFreePort()
  const child = spawn(
    path.join(projectRoot, 'node_modules', '.bin', 'next'),
    ['start', 'cms', '--port', String(port)],
    {
      cwd: projectRoot,
      env: { ...env, PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' },
      stdio: 'ignore',
    },
  )
  const base = `http://127.0.0.1:${port}`
  try {
    await waitForAnswer({ url: `${base}/api/users/me`, child, timeoutMs: 120_000 })
  } catch (err) {
    await stopChild(child)
    throw err
  }
  return { base, child, stop: () => stopChild(child) }
}

/** Logs the bench admin in through REST; returns the token for `Authorization: JWT <token>`. */
export async function loginAdmin({ base }: { base: string }): Promise<string> {
  const response = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  })
  if (!response.ok) throw new Error(`the bench admin could not log in (${response.status})`)
  return ((await response.json()) as { token: string }).token
}

/** `npm run worker` on the corpus, resolved once it polls. */
export function startWorker({ env }: { env: NodeJS.ProcessEnv }): Promise<ChildProcess> {
  const defined = Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)
  return startWorkerProcess({ env: Object.fromEntries(defined) })
}

/**
 * SIGTERM, then SIGKILL if the process has not exited within `graceMs` (a worker finishes
 * its running site build before it stops, which takes minutes on a large corpus; the next
 * build clears what a killed one leaves).
 */
export async function stopWithin({ child, graceMs = 20_000 }: { child: ChildProcess; graceMs?: number }) {
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await stopChild(child)
  clearTimeout(timer)
}
