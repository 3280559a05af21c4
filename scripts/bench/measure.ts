import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'

// What a benchmark measures of a process tree: its wall clock and its peak memory.

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

/**
 * Samples the resident memory of a process and all its descendants (every 50 ms, from /proc)
 * until `stop`, which resolves with the peak in MB: what a benchmark reports as a process's
 * memory, never the Node process's own RSS alone (a child such as an indexer can dwarf it).
 */
export function sampleTreePeak(pid: number = process.pid): { stop: () => Promise<number> } {
  let peakKb = 0
  let isRunning = true
  const sampling = (async () => {
    while (isRunning) {
      peakKb = Math.max(peakKb, await treeRssKb({ pid, includeRoot: true }))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  return {
    stop: async () => {
      isRunning = false
      await sampling
      peakKb = Math.max(peakKb, await treeRssKb({ pid, includeRoot: true }))
      return peakKb / 1024
    },
  }
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
