import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { stripVTControlCharacters } from 'node:util'

/** How a tool ended when it did not succeed. */
export type ToolFailure = {
  /** The tool's name in messages (the command's file name unless told). */
  name: string
  code: number | null
  signal: NodeJS.Signals | null
  /** The one line of its output that says why (see `pickReason`), or undefined. */
  reason: string | undefined
}

/**
 * Runs a program to its end and resolves when it exits with 0. On failure it rejects with one
 * readable line, `<name> failed: <reason>`, the reason picked from the end of its output
 * (colour codes stripped, whitespace collapsed), or with `failure`'s own error. Its output is
 * read line by line for `onLine` too (for tools, like Payload, whose reason spans lines).
 */
export async function runTool({
  command,
  args,
  name = path.basename(command),
  cwd,
  env = process.env,
  isStdoutRead = false,
  keepChars = 20_000,
  pickReason = firstErrorLine,
  onLine,
  failure = describeFailure,
}: {
  command: string
  args: string[]
  name?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Whether stdout holds reasons too (by default only stderr is read; stdout is ignored). */
  isStdoutRead?: boolean
  /** How much of the output's end is kept to find the reason in. */
  keepChars?: number
  pickReason?: (lines: string[]) => string | undefined
  /** Every line of the output read, colour codes stripped. */
  onLine?: (line: string) => void
  failure?: (ended: ToolFailure) => Error
}): Promise<void> {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: ['ignore', isStdoutRead ? 'pipe' : 'ignore', 'pipe'],
  })
  let tail = ''
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (raw) => {
      const line = stripVTControlCharacters(raw)
      tail = `${tail}${line}\n`.slice(-keepChars)
      onLine?.(line)
    })
  }
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${name} could not start: ${err.message}`)))
    // 'close', not 'exit': the last lines may still be in the pipes at exit.
    child.once('close', (code, signal) => {
      if (code === 0) return resolve()
      const lines = tail.split('\n').filter((line) => line.trim())
      const reason = pickReason(lines)?.replace(/\s+/g, ' ').trim() || undefined
      reject(failure({ name, code, signal, reason }))
    })
  })
}

/** The first line that mentions an error, else the last line: pg_dump's and pg_restore's way. */
export function firstErrorLine(lines: string[]): string | undefined {
  return lines.find((line) => /error/i.test(line)) ?? lines.at(-1)
}

/** The last line that mentions an error, else the last line: for tools that log much, like Astro. */
export function lastErrorLine(lines: string[]): string | undefined {
  return lines.findLast((line) => /error/i.test(line)) ?? lines.at(-1)
}

function describeFailure({ name, code, signal, reason }: ToolFailure): Error {
  return new Error(`${name} failed: ${reason ?? signal ?? `exit code ${code}`}`)
}
