import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { open, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cmsDir, projectRoot } from '../../cms/paths.ts'
import { runBin } from './run.ts'

const buildDir = path.join(cmsDir, '.next')
const stampFile = path.join(buildDir, 'hongyan-source-hash')
const ignored = new Set(['.next', '.next-build.lock', 'next-env.d.ts', 'seed', 'migrations'])
/** Held (by its process id) while one process builds: `npm test` runs two test files at once. */
const buildLockFile = path.join(cmsDir, '.next-build.lock')

/**
 * Builds the Next.js admin (`next build cms`) and stamps the build with a hash of its
 * sources, so `npm start` rebuilds only when the code or the dependencies changed.
 */
export async function buildAdmin(): Promise<void> {
  await runBin({ bin: 'payload', args: ['generate:importmap'], what: 'payload generate:importmap' })
  await runBin({ bin: 'next', args: ['build', 'cms'], what: 'next build' })
  await writeFile(stampFile, await sourceHash())
}

/**
 * Makes sure the admin build `next start` serves is current. A stale one is rebuilt, or,
 * with `whenStale: 'wait'` (a shared machine where only one `next build` may run at a time),
 * waited for while someone else rebuilds it: polled every 15 s, for 30 min at the most.
 */
export async function ensureAdminBuild({ whenStale = 'build' }: { whenStale?: 'build' | 'wait' } = {}) {
  if (await isAdminBuildCurrent()) return
  if (whenStale === 'build') {
    // Two processes that both find the build stale (two test files of one run) take turns:
    // two `next build`s into one folder would break it, and a server started on it.
    await withBuildLock(async () => {
      if (!(await isAdminBuildCurrent())) await buildAdmin()
    })
    return
  }
  const deadline = Date.now() + 30 * 60_000
  console.log('the admin build is stale; waiting for it to be rebuilt')
  while (!(await isAdminBuildCurrent())) {
    if (Date.now() > deadline) throw new Error('the admin build stayed stale for 30 min')
    await new Promise((resolve) => setTimeout(resolve, 15_000))
  }
}

export async function isAdminBuildCurrent(): Promise<boolean> {
  if (!existsSync(path.join(buildDir, 'BUILD_ID')) || !existsSync(stampFile)) return false
  return (await readFile(stampFile, 'utf8')) === (await sourceHash())
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256')
  const files = [
    ...(await listFiles(cmsDir)),
    path.join(projectRoot, 'package-lock.json'),
    path.join(projectRoot, 'tsconfig.json'),
  ]
  for (const file of files.sort()) {
    hash.update(path.relative(projectRoot, file))
    hash.update(existsSync(file) ? await readFile(file) : '')
  }
  return hash.digest('hex')
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries
      .filter((entry) => !ignored.has(entry.name))
      .map((entry) => {
        const full = path.join(dir, entry.name)
        return entry.isDirectory() ? listFiles(full) : Promise.resolve([full])
      }),
  )
  return nested.flat()
}

/**
 * Runs `work` holding the build lock file; waits while another live process holds it (a lock
 * left by a process that died is taken over).
 */
async function withBuildLock(work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      const handle = await open(buildLockFile, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = Number(await readFile(buildLockFile, 'utf8').catch(() => ''))
      if (holder > 0 && !isRunning(holder)) {
        await rm(buildLockFile, { force: true })
        continue
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000))
    }
  }
  try {
    await work()
  } finally {
    await rm(buildLockFile, { force: true })
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
