import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDatabase, startEmbeddedPostgres } from '../../cms/db/embeddedPostgres.ts'

let root: string
let dataDir: string
const running: RunningDatabase[] = []

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hongyan-embedded-'))
  await chmod(root, 0o755)
  dataDir = path.join(root, 'postgres')
})

afterAll(async () => {
  for (const server of running) await server.stop()
  await rm(root, { recursive: true, force: true })
})

async function start(): Promise<RunningDatabase> {
  const server = await startEmbeddedPostgres({ dataDir, database: 'kitchen' })
  running.push(server)
  return server
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql)).rows as T[]
  } finally {
    await client.end()
  }
}

async function postmasterPid(): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0])
}

describe('the embedded Postgres', () => {
  it('keeps its data across a stop and a start', async () => {
    const first = await start()
    expect(first.isOwned).toBe(true)
    await query(first.url, "create table notes (body text); insert into notes values ('劳动者之窗')")
    await first.stop()
    const second = await start()
    expect(await query(second.url, 'select body from notes')).toEqual([{ body: '劳动者之窗' }])
  })

  it('shares a server that another process already runs on the same data', async () => {
    const owner = running.at(-1) as RunningDatabase
    const guest = await start()
    expect(guest.isOwned).toBe(false)
    expect(new URL(guest.url).port).toBe(new URL(owner.url).port)
    expect(await query(guest.url, 'select count(*)::int as n from notes')).toEqual([{ n: 1 }])
  })

  it('starts again after a crash left a stale postmaster.pid behind', async () => {
    const pid = await postmasterPid()
    process.kill(pid, 'SIGKILL')
    await waitUntil(async () => !isAlive(pid))
    const restarted = await start()
    expect(restarted.isOwned).toBe(true)
    expect(await postmasterPid()).not.toBe(pid)
    expect(await query(restarted.url, 'select body from notes')).toEqual([{ body: '劳动者之窗' }])
  })
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('condition not met within 10 s')
}
