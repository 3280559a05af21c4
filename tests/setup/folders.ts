import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'

// Runs in each test file's process before the file is imported: cms/paths.ts reads these
// on import, so no test, whatever it imports first, writes into the project's media/ or dist/.
const mediaDir = mkdtempSync(path.join(tmpdir(), 'hongyan-test-media-'))
const distDir = mkdtempSync(path.join(tmpdir(), 'hongyan-test-dist-'))
const backupDir = mkdtempSync(path.join(tmpdir(), 'hongyan-test-backups-'))
process.env.HONGYAN_MEDIA_DIR = mediaDir
process.env.HONGYAN_DIST_DIR = distDir
process.env.HONGYAN_BACKUP_DIR = backupDir
// The workers tests start take no backups unless a test asks for them (tests/integration/scheduledBackup.test.ts).
process.env.HONGYAN_BACKUP_EVERY = 'off'
// Test files run two at a time on 2 cores: a worker niced below them (the default, for the
// servers of a real deployment) would wait for them, and the deadlines of the fault tests would
// measure the other test file, not the worker. The default is tested in workerProcess.test.ts.
process.env.HONGYAN_WORKER_NICE = '0'

afterAll(() => {
  rmSync(mediaDir, { recursive: true, force: true })
  rmSync(distDir, { recursive: true, force: true })
  rmSync(backupDir, { recursive: true, force: true })
})
