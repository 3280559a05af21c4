import type { ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupRun } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { stopChild } from '../../scripts/lib/run.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { backupScratchDatabases } from '../helpers/backupScratchDatabases.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const EVERY_MS = 3000

let kitchen: TestKitchen
let dir: string
const workers: ChildProcess[] = []
let output = ''

beforeAll(async () => {
  kitchen = await startTestKitchen()
  dir = await mkdtemp(path.join(tmpdir(), 'hongyan-test-worker-backups-'))
  await kitchen.payload.create({ collection: collectionSlugs.sections, data: { name: '备份进程', order: 1 } })
})

afterAll(async () => {
  for (const worker of workers) worker.kill('SIGKILL')
  if (dir) await rm(dir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

/** `npm run worker` as a real process, with a backup schedule of a few seconds. */
async function startWorker(): Promise<ChildProcess> {
  const worker = await startWorkerProcess({
    env: {
      DATABASE_URL: kitchen.databaseUrl,
      HONGYAN_MEDIA_DIR: kitchen.mediaDir,
      HONGYAN_BACKUP_EVERY: `${EVERY_MS / 1000}s`,
      HONGYAN_BACKUP_DIR: dir,
      HONGYAN_BACKUP_KEEP: '2',
    },
  })
  for (const stream of [worker.stdout, worker.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
  }
  workers.push(worker)
  return worker
}

async function recordedRuns(): Promise<BackupRun[]> {
  const { docs } = await kitchen.payload.find({
    collection: collectionSlugs.backupRuns,
    sort: 'madeAt',
    pagination: false,
    depth: 0,
  })
  return docs
}

async function waitForRuns({ count, withinMs }: { count: number; withinMs: number }): Promise<void> {
  const started = Date.now()
  while (Date.now() - started < withinMs) {
    if ((await recordedRuns()).length >= count) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`fewer than ${count} backups were recorded within ${withinMs} ms: ${output.slice(-4000)}`)
}

describe('scheduled backups in real worker processes', () => {
  it('two workers with HONGYAN_BACKUP_EVERY=3s take, verify and prune backups by themselves, one an interval', async () => {
    const both = await Promise.all([startWorker(), startWorker()])
    await waitForRuns({ count: 3, withinMs: 180_000 })
    // SIGTERM: each worker finishes the backup step it is in, then exits.
    await Promise.all(both.map((worker) => stopChild(worker)))

    const runs = await recordedRuns()
    expect(runs.length).toBeGreaterThanOrEqual(3)
    for (const run of runs) {
      expect(run).toMatchObject({ status: 'verified', format: expect.any(String) })
      expect(run.tables).toBeGreaterThan(10)
    }
    // Whichever worker took it, never two backups within one interval.
    for (const [index, run] of runs.entries()) {
      const previous = runs[index - 1]
      if (previous) {
        expect(new Date(run.madeAt).getTime() - new Date(previous.madeAt).getTime()).toBeGreaterThanOrEqual(
          EVERY_MS,
        )
      }
    }
    // The last two archives stay, nothing half-written beside them, no scratch database left.
    expect((await readdir(dir)).sort()).toEqual(
      runs
        .slice(-2)
        .map((run) => run.archive)
        .sort(),
    )
    expect(await backupScratchDatabases({ databaseUrl: kitchen.databaseUrl })).toEqual([])
    expect(output).toContain('backups every 3s into')
    expect(output).toContain('备份已验证 / backup verified')
  }, 300_000)
})
