import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { firstErrorLine, runTool } from '../../lib/runTool.ts'

/** A pg_dump or pg_restore binary and its major version. */
export type PgTool = { file: string; version: string; major: number }

/**
 * The first `name` (pg_dump, pg_restore) whose major version is at least `minimumMajor`:
 * in the folder HONGYAN_PG_BIN first, then on PATH. Undefined when there is none.
 */
export async function findPgTool({
  name,
  minimumMajor,
}: {
  name: 'pg_dump' | 'pg_restore'
  minimumMajor: number
}): Promise<PgTool | undefined> {
  const folders = [process.env.HONGYAN_PG_BIN, ...(process.env.PATH ?? '').split(path.delimiter)].filter(
    (folder): folder is string => Boolean(folder),
  )
  for (const folder of folders) {
    const file = path.join(folder, name)
    if (!existsSync(file)) continue
    const version = await toolVersion({ file })
    if (version && version.major >= minimumMajor) return { file, ...version }
  }
  return undefined
}

/**
 * Runs pg_dump or pg_restore on `databaseUrl`. The password goes in PGPASSWORD, not on the
 * command line where `ps` would show it. Rejects with the tool's first error line.
 */
export async function runPgTool({
  tool,
  databaseUrl,
  args,
}: {
  tool: PgTool
  databaseUrl: string
  args: string[]
}): Promise<void> {
  const target = new URL(databaseUrl)
  const password = decodeURIComponent(target.password)
  target.password = ''
  await runTool({
    command: tool.file,
    args: [...args, `--dbname=${target.toString()}`],
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
    keepChars: 4000,
    // "pg_restore: error: could not execute query: …": the tool's name is said once.
    pickReason: (lines) => firstErrorLine(lines)?.replace(/^pg_\w+: (error: )?/, ''),
  })
}

async function toolVersion({
  file,
}: {
  file: string
}): Promise<{ version: string; major: number } | undefined> {
  try {
    const { stdout } = await promisify(execFile)(file, ['--version'], { timeout: 10_000 })
    // "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    const match = /\)\s+(\d+)(?:\.(\d+))?/.exec(stdout)
    return match ? { version: `${match[1]}.${match[2] ?? '0'}`, major: Number(match[1]) } : undefined
  } catch {
    // A binary that does not run is no candidate: the search goes on to the next folder.
    return undefined
  }
}
