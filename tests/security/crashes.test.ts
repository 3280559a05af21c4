import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, watch } from 'node:fs'
import { mkdtemp, readdir, readFile, readlink, rm, utimes, writeFile } from 'node:fs/promises'
import { request as httpRequest, type Server } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { queueSiteBuild, SITE_BUILD_TASK } from '../../cms/jobs/siteBuild.ts'
import { CLAIM_LEASE_MS } from '../../cms/jobs/storySchedule.ts'
import { ORPHAN_MEDIA_MIN_AGE_MS, sweepOrphanMedia } from '../../cms/ops/sweepOrphanMedia.ts'
import { projectRoot } from '../../cms/paths.ts'
import type { Partner } from '../../cms/payload-types.ts'
import { issueDay } from '../../cms/publishing/print/exportColumnIssue.ts'
import { liveBuild, liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { createSiteServer } from '../../cms/publishing/site/siteServer.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { isAdminBuildCurrent } from '../../scripts/lib/adminBuild.ts'
import { type KitchenServer, startKitchenServer } from '../../scripts/lib/kitchenServer.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { keepOutputTail, spawnScript } from '../../scripts/lib/run.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * `kill -9` at the worst moments, with real processes: a site build, a worker in the middle
 * of a site-build job, the partner feed server answering, the kitchen's server receiving an
 * upload, a column export. After each crash and a restart: the last good result is still
 * served, nothing half-written is visible, no job is lost or run twice.
 */

let kitchen: TestKitchen
let payload: Payload
let distDir: string
const children: ChildProcess[] = []
const cleanups: (() => Promise<void>)[] = []
const servers: Server[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  distDir = kitchen.distDir
  await seedDemoContent({ payload, now: new Date(), adminPassword: 'demo-password-1' })
}, 180_000)

afterAll(async () => {
  for (const child of children) killGroup(child)
  for (const server of servers) server.close()
  for (const cleanup of cleanups) await cleanup()
  await kitchen?.cleanup()
})

/**
 * Kills a child still running, with its process group when it leads one. A child that has
 * exited is left alone: its pid may already name someone else's process.
 */
function killGroup(child: ChildProcess): void {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return
  for (const target of [-child.pid, child.pid]) {
    try {
      process.kill(target, 'SIGKILL')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
    }
  }
}

type Script = {
  child: ChildProcess
  output: () => string
  exited: Promise<{ code: number | null; signal: string | null }>
}

/**
 * A project script as one real Node process (not tsx's launcher and its child, so that
 * SIGKILL on its pid kills the script itself), leading a process group of its own so the
 * test can clean up whatever it leaves behind.
 */
function runScript({
  script,
  args = [],
  env = {},
}: {
  script: string
  args?: string[]
  env?: Record<string, string>
}): Script {
  const child = spawnScript({
    script,
    args,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    isDetached: true,
  })
  children.push(child)
  const output = keepOutputTail({ child, maxChars: 20_000 })
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, output, exited }
}

async function runToCompletion(options: Parameters<typeof runScript>[0]): Promise<string> {
  const run = runScript(options)
  const { code, signal } = await run.exited
  if (code !== 0) throw new Error(`${options.script} failed (${signal ?? code}): ${run.output()}`)
  return run.output()
}

/** SIGKILL to the one process, as `kill -9 <pid>` would; resolves once it is gone. */
async function kill9(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) throw new Error('the process had already exited')
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGKILL')
  await exited
  expect(child.signalCode).toBe('SIGKILL')
}

/** Polls `check` until it returns a value other than undefined/false. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 120_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
}

/** Every live descendant of a process (children, grandchildren…), read from /proc. */
async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (Number.isInteger(ppid)) parents.set(Number(entry), ppid)
  }
  const found: number[] = []
  const queue = [pid]
  while (queue.length) {
    const parent = queue.shift() as number
    for (const [child, ppid] of parents) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child)
        queue.push(child)
      }
    }
  }
  return found
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

const buildsDir = () => path.join(distDir, 'site-builds')

async function listDir(dir: string): Promise<string[]> {
  return existsSync(dir) ? (await readdir(dir)).sort() : []
}

async function startSiteServer(): Promise<string> {
  const server = createSiteServer({ distDir })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function fetchBytes(url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(url)
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) }
}

describe('kill -9 during a site build', () => {
  it('keeps the last good site live, never shows the dead build, and the next build cleans up after it', async () => {
    await runToCompletion({ script: 'scripts/buildSite.ts' })
    const first = (await liveBuild({ distDir })) as string
    expect(first).toMatch(/site-builds\/\d+-[0-9a-f]{8}$/)
    const siteUrl = await startSiteServer()
    const home = await fetchBytes(`${siteUrl}/`)
    expect(home.status).toBe(200)
    expect(home.bytes.toString()).toMatch(/^<!doctype html>/i)

    // A second build (for another address, so it renders every page), killed once its pages are
    // written into its folder: pausingSiteBuild.ts holds it there, before it goes live.
    const build = runScript({
      script: 'tests/helpers/pausingSiteBuild.ts',
      env: { HONGYAN_SITE_URL: 'https://other.example.cn' },
    })
    const dead = await waitFor('the second build writing pages', async () => {
      for (const name of await listDir(buildsDir())) {
        const dir = path.join(buildsDir(), name)
        if (dir === first) continue
        const files = await readdir(dir, { recursive: true }).catch(() => [])
        if (files.some((file) => String(file).endsWith('.html'))) return dir
      }
      return undefined
    })
    const helpers = await descendantsOf(build.child.pid as number)
    await kill9(build.child)

    // The live site is the first build, byte for byte; the dead build was never live.
    expect(await liveBuild({ distDir })).toBe(first)
    expect(await readlink(liveSitePath(distDir))).toBe(path.relative(distDir, first))
    const afterKill = await fetchBytes(`${siteUrl}/`)
    expect(afterKill.status).toBe(200)
    expect(afterKill.bytes.equals(home.bytes)).toBe(true)
    // Its folder is marked unfinished and owned by the dead process, not a finished build's name.
    expect(path.basename(dead)).toMatch(
      new RegExp(`^\\d+-[0-9a-f]{8}\\.building-[A-Za-z0-9]+-${build.child.pid}$`),
    )
    // Whatever the build had started stops with it.
    await waitFor(
      "the dead build's helper processes to exit",
      () => helpers.every((pid) => !isRunning(pid)),
      {
        timeoutMs: 15_000,
        intervalMs: 100,
      },
    )

    await runToCompletion({ script: 'scripts/buildSite.ts' })
    // The next build updates the last good build in place; nothing of the dead build is left.
    expect(await liveBuild({ distDir })).toBe(first)
    expect(await listDir(buildsDir())).toEqual([path.basename(first)])
    expect((await listDir(distDir)).filter((name) => name.startsWith('site'))).toEqual([
      'site',
      'site-builds',
      'site-media',
      'site-state',
    ])
    expect(await listDir(path.join(distDir, 'site-state'))).toEqual([`${path.basename(first)}.json`])
    const rebuilt = await fetchBytes(`${siteUrl}/`)
    expect(rebuilt.status).toBe(200)
    expect(rebuilt.bytes.toString()).toMatch(/^<!doctype html>/i)
  }, 180_000)
})

/** Collects what a process prints from now on. */
function outputOf(child: ChildProcess): () => string {
  let output = ''
  const keep = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => stripVTControlCharacters(output)
}

const countOf = (text: string, part: string) => text.split(part).length - 1

describe('kill -9 of a worker in the middle of a site-build job', () => {
  it('the job is taken over once its lease ends, and runs to completion exactly once', async () => {
    // A live site to begin with (the first case leaves one, when it ran).
    if (!(await liveBuild({ distDir }))) await runToCompletion({ script: 'scripts/buildSite.ts' })
    const before = (await liveBuild({ distDir })) as string
    const siteJobs = () =>
      payload.find({
        collection: 'payload-jobs',
        where: { taskSlug: { equals: SITE_BUILD_TASK } },
        depth: 0,
        sort: 'id',
      })
    expect((await siteJobs()).docs).toEqual([])
    // Every target the live site points at from here on, in order.
    const seen: string[] = [before]
    let isWatching = true
    const watching = (async () => {
      while (isWatching) {
        const live = await liveBuild({ distDir })
        if (live && live !== seen.at(-1)) seen.push(live)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })()

    const reason = 'crash test: a worker killed mid-build'
    await queueSiteBuild({ payload, reason })
    const [job] = (await siteJobs()).docs
    if (!job) throw new Error('no site build was queued')
    const first = await startWorkerProcess({ env: {}, script: 'tests/helpers/pausingWorker.ts' })
    children.push(first)
    const firstOutput = outputOf(first)
    // The worker updates the live build in place; pausingWorker.ts holds it once its pages are
    // written and before its new state is.
    await waitFor('the worker to have written its pages', async () =>
      firstOutput().includes('paused before going live'),
    )
    const helpers = await descendantsOf(first.pid as number)
    await kill9(first)

    // The job is left claimed by the dead worker, the site as it was.
    const claimed = await payload.findByID({ collection: 'payload-jobs', id: job.id, depth: 0 })
    expect(claimed).toMatchObject({ processing: true, completedAt: null })
    expect(await liveBuild({ distDir })).toBe(before)
    expect(firstOutput()).not.toContain('site rebuilt')
    await waitFor(
      "the dead worker's helper processes to exit",
      () => helpers.every((pid) => !isRunning(pid)),
      {
        timeoutMs: 15_000,
        intervalMs: 100,
      },
    )

    const second = await startWorkerProcess({ env: {} })
    children.push(second)
    const secondOutput = outputOf(second)
    // Completed jobs are deleted: the job is done when its row is gone.
    await waitFor(
      'the job to complete',
      async () =>
        (await payload.findByID({
          collection: 'payload-jobs',
          id: job.id,
          depth: 0,
          disableErrors: true,
        })) === null,
      { timeoutMs: 150_000, intervalMs: 250 },
    )
    // Taken over only once the dead worker's lease (30 s from its claim) was over.
    expect(Date.now() - Date.parse(claimed.updatedAt)).toBeGreaterThan(CLAIM_LEASE_MS)
    // A few more polls of the queue: nothing runs again.
    await new Promise((resolve) => setTimeout(resolve, 3000))
    isWatching = false
    await watching
    await kill9(second)

    expect((await siteJobs()).docs).toEqual([])
    expect(countOf(secondOutput(), 'reclaimed 1 job(s) left processing by a stopped runner')).toBe(1)
    expect(countOf(secondOutput(), `site rebuilt (${reason})`)).toBe(1)
    expect(countOf(secondOutput(), 'site rebuilt')).toBe(1)
    // The live site changed once, to one new build; the dead worker's half build is gone.
    expect(seen).toHaveLength(2)
    const after = seen[1] as string
    expect(after > before).toBe(true)
    expect(await listDir(buildsDir())).toEqual([path.basename(before), path.basename(after)])
  }, 240_000)
})

/** An admin's token, for the REST API the kitchen serves (called here without a server). */
async function adminToken(): Promise<string> {
  const login = await payload.login({
    collection: collectionSlugs.users,
    data: { email: 'admin@hongyan.local', password: 'demo-password-1' },
  })
  return login.token ?? ''
}

async function startFeedServer(): Promise<{ script: Script; url: string }> {
  const port = await findFreePort()
  const script = runScript({ script: 'scripts/feeds.ts', env: { FEEDS_PORT: String(port) } })
  await waitFor('the feed server to listen', () => {
    if (script.child.exitCode !== null) throw new Error(`the feed server exited: ${script.output()}`)
    return script.output().includes('partner feeds on')
  })
  return { script, url: `http://127.0.0.1:${port}` }
}

/** One raw request on its own connection: the answer, or how the connection ended without one. */
function rawRequest({
  url,
  head,
  onSent,
}: {
  url: string
  head: string
  onSent: () => void
}): Promise<{ answer: Buffer; ended: string }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(head, onSent))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ answer: Buffer.concat(chunks), ended: err.code ?? 'error' }),
    )
    socket.on('close', () => resolve({ answer: Buffer.concat(chunks), ended: 'closed' }))
  })
}

type PullRow = {
  partner_id: number
  kind: string
  format: string
  status: number
  item_count: number
  items: { id: number; version: number; pubstatus: string }[]
  ip: string
  at: Date
}

describe('kill -9 of the partner feed server', () => {
  it('answers the same feed with the same ETag after a restart, and its pull log has only whole rows', async () => {
    const partner = await payload.create({
      collection: collectionSlugs.partners,
      data: { name: '崩溃测试合作方', allowedFormats: ['ninjs'], rateLimitPerMinute: 1000 } as Partner,
    })
    const issued = await kitchen.api.rest.POST(
      new Request(`http://kitchen.test/api/partners/${partner.id}/key`, {
        method: 'POST',
        headers: { authorization: `JWT ${await adminToken()}` },
      }),
      { params: Promise.resolve({ slug: ['partners', String(partner.id), 'key'] }) },
    )
    expect(issued.status).toBe(201)
    const key = String(((await issued.json()) as { key: string }).key)
    const pool = (
      payload.db as unknown as {
        pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: PullRow[] }> }
      }
    ).pool
    const pullLog = async () =>
      (
        await pool.query(
          'select partner_id::int, kind, format, status::int, item_count::int, items, ip, at from partner_log where partner_id = $1 order by id',
          [partner.id],
        )
      ).rows
    const feedPath = '/feeds/partner/ninjs.json'
    const head = `GET ${feedPath} HTTP/1.1\r\nHost: feeds.test\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`

    let server = await startFeedServer()
    const before = await fetch(`${server.url}${feedPath}`, { headers: { authorization: `Bearer ${key}` } })
    expect(before.status).toBe(200)
    const etag = before.headers.get('etag') as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    const body = Buffer.from(await before.arrayBuffer())
    const served = (JSON.parse(body.toString()) as { items: unknown[] }).items.length
    expect(served).toBeGreaterThan(0)
    await waitFor('the first pull to be logged', async () => (await pullLog()).length === 1)

    // Killed with a request half received: the headers are not complete.
    const half = rawRequest({
      url: server.url,
      head: head.slice(0, head.indexOf('Authorization')),
      onSent: () => {},
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await kill9(server.script.child)
    expect(await half).toMatchObject({ answer: Buffer.alloc(0) })

    // Killed as soon as a whole request was sent: while the server reads the key and the feed.
    server = await startFeedServer()
    const killed = server.script.child
    const whole = await rawRequest({ url: server.url, head, onSent: () => killed.kill('SIGKILL') })
    await new Promise<void>((resolve) =>
      killed.exitCode !== null || killed.signalCode ? resolve() : killed.once('exit', () => resolve()),
    )
    expect(killed.signalCode).toBe('SIGKILL')
    const wasAnswered = whole.answer.includes(Buffer.from('HTTP/1.1 200'))
    // An answer is whole or absent: a partner never takes a cut-off body for a feed.
    if (wasAnswered)
      expect(whole.answer.subarray(whole.answer.indexOf('\r\n\r\n') + 4).equals(body)).toBe(true)

    server = await startFeedServer()
    const after = await fetch(`${server.url}${feedPath}`, { headers: { authorization: `Bearer ${key}` } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).toBe(etag)
    expect(Buffer.from(await after.arrayBuffer()).equals(body)).toBe(true)
    const revalidated = await fetch(`${server.url}${feedPath}`, {
      headers: { authorization: `Bearer ${key}`, 'if-none-match': etag },
    })
    expect(revalidated.status).toBe(304)

    // Pull rows are written together every 100 ms: a pull answered in the last 100 ms before
    // the kill may be missing (README, "Partners"), never half there.
    const statuses = wasAnswered
      ? [
          [200, 200, 304],
          [200, 200, 200, 304],
        ]
      : [[200, 200, 304]]
    const rows = await waitFor(
      'the pulls after the restart to be logged',
      async () => {
        const logged = await pullLog()
        return logged.at(-1)?.status === 304 ? logged : undefined
      },
      { intervalMs: 100 },
    )
    expect(statuses).toContainEqual(rows.map((row) => row.status))
    const firstRow = rows[0] as PullRow
    for (const row of rows) {
      expect(row).toMatchObject({ partner_id: partner.id, kind: 'pull', format: 'ninjs', item_count: served })
      expect(row.items).toEqual(firstRow.items)
      expect(row.ip).toMatch(/127\.0\.0\.1$/)
      expect(row.at).toBeInstanceOf(Date)
    }
    await kill9(server.script.child)
  }, 180_000)
})

/** Every file a column package's manifest lists, with its size and checksum as listed. */
async function verifyPackage(dir: string): Promise<number> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as {
    files: { path: string; bytes: number; sha256: string }[]
  }
  const onDisk = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort()
  expect(onDisk).toEqual([...manifest.files.map((file) => file.path), 'manifest.json'].sort())
  for (const file of manifest.files) {
    const content = await readFile(path.join(dir, file.path))
    expect({
      path: file.path,
      bytes: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
    }).toEqual(file)
  }
  return manifest.files.length
}

describe('kill -9 during a column export', () => {
  it('never leaves a package under its final name half-written, and the next export cleans up', async () => {
    const [issue] = (
      await payload.find({
        collection: collectionSlugs.columnIssues,
        depth: 0,
        limit: 1,
        context: { skipFit: true },
      })
    ).docs
    if (!issue) throw new Error('the seed made no column issue')
    const outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-crash-print-'))
    cleanups.push(() => rm(outDir, { recursive: true, force: true }))
    const name = `laodongzhe-zhichuang-${issueDay(issue.issueDate)}`
    const exportArgs = ['--issue', String(issue.id), '--out', outDir]
    const killMidway = async () => {
      const run = runScript({ script: 'scripts/exportColumn.ts', args: exportArgs })
      const temp = await waitFor(
        'the export to start writing',
        async () => {
          if (run.child.exitCode !== null)
            throw new Error(`the export ended before it was killed: ${run.output()}`)
          return (await listDir(outDir)).find((entry) => entry.includes('.partial-'))
        },
        { intervalMs: 5 },
      )
      await kill9(run.child)
      return { temp, pid: run.child.pid as number }
    }

    // A first export killed: nothing under the package's name, only a hidden temporary folder.
    const first = await killMidway()
    expect(first.temp.startsWith(`.${name}.partial-`)).toBe(true)
    expect(first.temp.endsWith(`-${first.pid}`)).toBe(true)
    expect(await listDir(outDir)).toEqual([first.temp])

    // Run again: the package, whole, and nothing else.
    const output = await runToCompletion({ script: 'scripts/exportColumn.ts', args: exportArgs })
    expect(output).toContain('column package:')
    expect(await listDir(outDir)).toEqual([name])
    const files = await verifyPackage(path.join(outDir, name))
    expect(files).toBeGreaterThan(5)

    // An export replacing that package, killed: the last whole package stays where it was.
    const second = await killMidway()
    expect((await listDir(outDir)).filter((entry) => !entry.startsWith('.'))).toEqual([name])
    expect(await verifyPackage(path.join(outDir, name))).toBe(files)
    expect(await listDir(outDir)).toContain(second.temp)

    await runToCompletion({ script: 'scripts/exportColumn.ts', args: exportArgs })
    expect(await listDir(outDir)).toEqual([name])
    expect(await verifyPackage(path.join(outDir, name))).toBe(files)
  }, 180_000)
})

/**
 * Waits (up to 10 minutes) while the admin's Next.js build is being made (by another test
 * run); never builds it here. A build older than the sources serves uploads as well, so one
 * that is stale with no build running is used as it is.
 */
async function waitForAdminBuild(): Promise<void> {
  const deadline = Date.now() + 600_000
  for (;;) {
    if (await isAdminBuildCurrent()) return
    const isBuilding = (await readdir('/proc')).some((entry) => {
      if (!/^\d+$/.test(entry)) return false
      const command = (() => {
        try {
          return readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
        } catch {
          return []
        }
      })()
      return (
        command.some((part) => part.endsWith('/next') || part.endsWith('next/dist/bin/next')) &&
        command.includes('build')
      )
    })
    if (!isBuilding && existsSync(path.join(projectRoot, 'cms', '.next', 'BUILD_ID'))) {
      console.warn('the admin build is older than the sources and none is running: serving it as it is')
      return
    }
    if (Date.now() > deadline) throw new Error('no admin build within 10 minutes')
    await new Promise((resolve) => setTimeout(resolve, 5000))
  }
}

/** The kitchen's production server (`next start cms`), leading a process group of its own. */
async function startKitchen(): Promise<KitchenServer> {
  await waitForAdminBuild()
  return startKitchenServer({
    isDetached: true,
    timeoutMs: 180_000,
    intervalMs: 250,
    onSpawn: (child) => children.push(child),
  })
}

/** Process ids of a process group's members, read from /proc. */
async function groupMembers(pgid: number): Promise<number[]> {
  const members: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // state ppid pgrp: a zombie is dead already.
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry))
  }
  return members
}

/** SIGKILL to the server's whole process group; resolves once every member is gone. */
async function killKitchen(kitchenServer: KitchenServer): Promise<void> {
  const pgid = kitchenServer.child.pid as number
  const exited = new Promise<void>((resolve) =>
    kitchenServer.child.exitCode !== null || kitchenServer.child.signalCode
      ? resolve()
      : kitchenServer.child.once('exit', () => resolve()),
  )
  process.kill(-pgid, 'SIGKILL')
  await exited
  await waitFor(
    'every process of the server to be gone',
    async () => (await groupMembers(pgid)).length === 0,
    {
      timeoutMs: 10_000,
    },
  )
}

/** A multipart upload as a browser sends it: the fields, then the file (between head and tail). */
function uploadBody({ boundary }: { boundary: string }): { head: Buffer; tail: Buffer } {
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="_payload"\r\n\r\n${JSON.stringify({ alt: '崩溃测试' })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="zaoyin.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  )
  return { head, tail: Buffer.from(`\r\n--${boundary}--\r\n`) }
}

/**
 * Streams an upload in 64 KB pieces, `pauseMs` apart; `onProgress` sees the file bytes sent
 * so far after each piece. Resolves with the answer, or with how the connection broke.
 */
function streamUpload({
  url,
  token,
  bytes,
  pauseMs,
  onProgress = () => {},
}: {
  url: string
  token: string
  bytes: Buffer
  pauseMs: number
  onProgress?: (sent: number) => void
}): Promise<{ status: number; body: string } | { error: string }> {
  const boundary = `----hongyan${Date.now()}`
  const { head, tail } = uploadBody({ boundary })
  return new Promise((resolve) => {
    const request = httpRequest(`${url}/api/media`, {
      method: 'POST',
      headers: {
        authorization: `JWT ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + bytes.length + tail.length),
      },
    })
    request.on('response', (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      response.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }))
    })
    request.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }))
    const send = async () => {
      const write = (chunk: Buffer) =>
        new Promise<boolean>((done) => request.write(chunk, (err) => done(!err)))
      if (!(await write(head))) return
      for (let at = 0; at < bytes.length; at += 64 * 1024) {
        if (!(await write(bytes.subarray(at, at + 64 * 1024)))) return
        onProgress(Math.min(bytes.length, at + 64 * 1024))
        if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs))
      }
      request.end(tail)
    }
    void send()
  })
}

/** Every file a media row names (its own and its sizes'), by row. */
async function mediaRows(): Promise<{ id: number; files: string[] }[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.media,
    pagination: false,
    depth: 0,
    sort: 'id',
  })
  return docs.map((doc) => ({
    id: doc.id,
    files: [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)].filter(
      (name): name is string => typeof name === 'string' && name.length > 0,
    ),
  }))
}

async function mediaFolder(): Promise<string[]> {
  return (await readdir(kitchen.mediaDir)).filter((name) => !name.startsWith('.')).sort()
}

/** Whether sharp reads the whole image: a file cut off mid-write fails. */
async function decodes(file: string): Promise<boolean> {
  return sharp(file, { failOn: 'truncated', limitInputPixels: false })
    .raw()
    .toBuffer()
    .then(
      () => true,
      () => false,
    )
}

/**
 * What an upload killed at any point may leave, and what it must not: every media row's
 * files are all on disk and whole; a file no row names is an orphan. Returns the orphans.
 */
async function checkMedia(): Promise<string[]> {
  const rows = await mediaRows()
  const onDisk = new Set(await mediaFolder())
  for (const row of rows) {
    expect(row.files).toHaveLength(6)
    for (const file of row.files) {
      expect(onDisk.has(file), `${file} of media ${row.id}`).toBe(true)
      expect(await decodes(path.join(kitchen.mediaDir, file)), `${file} decodes`).toBe(true)
    }
  }
  const named = new Set(rows.flatMap((row) => row.files))
  return [...onDisk].filter((file) => !named.has(file)).sort()
}

describe('kill -9 of the kitchen server during an upload', () => {
  let photo: Buffer
  let token: string

  beforeAll(async () => {
    photo = await noisyJpeg({ width: 5000, height: 4000, sigma: 60, quality: 95 })
    token = await adminToken()
  }, 60_000)

  it('killed while the file streams in: no row, no file; after a restart the same upload succeeds', async () => {
    expect(photo.length).toBeGreaterThan(15 * 1024 * 1024)
    expect(photo.length).toBeLessThan(25 * 1024 * 1024)
    const rowsBefore = await mediaRows()
    const filesBefore = await mediaFolder()
    expect(await checkMedia()).toEqual([])

    let server = await startKitchen()
    let killing: Promise<void> | undefined
    const upload = await streamUpload({
      url: server.url,
      token,
      bytes: photo,
      pauseMs: 2,
      onProgress: (sent) => {
        if (!killing && sent >= photo.length / 2) killing = killKitchen(server)
      },
    })
    await killing
    expect(upload).toMatchObject({ error: expect.any(String) })
    expect(await mediaRows()).toEqual(rowsBefore)
    expect(await mediaFolder()).toEqual(filesBefore)

    server = await startKitchen()
    expect(await mediaRows()).toEqual(rowsBefore)
    expect(await mediaFolder()).toEqual(filesBefore)
    const again = await streamUpload({ url: server.url, token, bytes: photo, pauseMs: 0 })
    expect(again).toMatchObject({ status: 201 })
    expect(await mediaRows()).toHaveLength(rowsBefore.length + 1)
    expect(await checkMedia()).toEqual([])
    await killKitchen(server)
  }, 600_000)

  it('killed as its files are written: no row; the files left are orphans, which the sweep removes once old', async () => {
    const rowsBefore = await mediaRows()
    expect(await checkMedia()).toEqual([])
    let server = await startKitchen()
    let killing: Promise<void> | undefined
    const watcher = watch(kitchen.mediaDir, () => {
      killing ??= killKitchen(server)
    })
    const upload = await streamUpload({ url: server.url, token, bytes: photo, pauseMs: 0 })
    await killing
    watcher.close()
    expect(upload).toMatchObject({ error: expect.any(String) })
    expect(await mediaRows()).toEqual(rowsBefore)
    const orphans = await checkMedia()
    expect(orphans.length).toBeGreaterThan(0)
    const cutOff = []
    for (const file of orphans) if (!(await decodes(path.join(kitchen.mediaDir, file)))) cutOff.push(file)
    console.log(`the kill left ${orphans.length} orphaned file(s), ${cutOff.length} cut off mid-write`)

    server = await startKitchen()
    expect(await mediaRows()).toEqual(rowsBefore)
    // Until swept, an orphan is never served, not even to staff: no row names it.
    for (const file of orphans) {
      const served = await fetch(`${server.url}/api/media/file/${file}`, {
        headers: { authorization: `JWT ${token}` },
      })
      expect(served.status).toBeGreaterThanOrEqual(400)
      expect(served.status).toBeLessThan(500)
    }
    // Too young to tell from an upload still being saved: kept.
    expect(await sweepOrphanMedia({ payload, mediaDir: kitchen.mediaDir })).toEqual([])
    expect(await checkMedia()).toEqual(orphans)
    // An hour on, they are removed, and only they.
    const later = Date.now() + ORPHAN_MEDIA_MIN_AGE_MS + 60_000
    expect(await sweepOrphanMedia({ payload, mediaDir: kitchen.mediaDir, now: later })).toEqual(orphans)
    expect(await checkMedia()).toEqual([])
    expect(await mediaRows()).toEqual(rowsBefore)

    const again = await streamUpload({ url: server.url, token, bytes: photo, pauseMs: 0 })
    expect(again).toMatchObject({ status: 201 })
    expect(await checkMedia()).toEqual([])
    await killKitchen(server)
  }, 600_000)

  it('the worker sweeps old orphaned media files when it starts, and keeps every file a row names', async () => {
    const filesBefore = await mediaFolder()
    expect(await checkMedia()).toEqual([])
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    // Files as a killed upload leaves them: no row names them; one is cut off.
    const old = path.join(kitchen.mediaDir, 'jiu-gu-er-0123abcd.jpg')
    await writeFile(old, photo.subarray(0, 1024 * 1024))
    await utimes(old, twoHoursAgo, twoHoursAgo)
    const young = path.join(kitchen.mediaDir, 'xin-gu-er-4567cdef.jpg')
    await writeFile(young, photo.subarray(0, 1024 * 1024))
    // A file a row names is kept however old.
    const named = path.join(kitchen.mediaDir, filesBefore[0] as string)
    await utimes(named, twoHoursAgo, twoHoursAgo)
    const hidden = path.join(kitchen.mediaDir, '.gitkeep')
    await writeFile(hidden, '')
    await utimes(hidden, twoHoursAgo, twoHoursAgo)

    const worker = await startWorkerProcess({ env: {} })
    children.push(worker)
    const output = outputOf(worker)
    // Done when it says so: the file goes before the line that reports it is written.
    await waitFor(
      'the worker to sweep',
      () =>
        !existsSync(old) &&
        /removed \d+ media file\(s\) no media row names/.test(stripVTControlCharacters(output())),
      { timeoutMs: 60_000, intervalMs: 100 },
    )
    await kill9(worker)
    expect(await mediaFolder()).toEqual([...filesBefore, path.basename(young)].sort())
    expect(existsSync(hidden)).toBe(true)
    await rm(young)
    await rm(hidden)
    expect(stripVTControlCharacters(output())).toMatch(/removed 1 media file\(s\) no media row names/)
    expect(await checkMedia()).toEqual([])

    // A folder most of which no row names is another site's (or the wrong database): kept whole.
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'hongyan-crash-media-'))
    cleanups.push(() => rm(elsewhere, { recursive: true, force: true }))
    const strangers = Array.from({ length: 8 }, (_, index) => `qita-${index}-89abcdef.jpg`)
    for (const name of strangers) {
      await writeFile(path.join(elsewhere, name), photo.subarray(0, 4096))
      await utimes(path.join(elsewhere, name), twoHoursAgo, twoHoursAgo)
    }
    expect(await sweepOrphanMedia({ payload, mediaDir: elsewhere })).toEqual([])
    expect((await readdir(elsewhere)).sort()).toEqual(strangers.sort())
  }, 120_000)
})
