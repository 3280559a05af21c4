import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Payload } from 'payload'
import { renderToStaticMarkup } from 'react-dom/server'
import { create as createTar, extract as extractTar } from 'tar'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { BackupStatus } from '../../cms/components/BackupStatus.tsx'
import { runScheduledBackup } from '../../cms/jobs/scheduledBackup.ts'
import type { Manifest } from '../../cms/ops/backup/archive.ts'
import { archiveFileName } from '../../cms/ops/backup/backupFolder.ts'
import { createBackup } from '../../cms/ops/backup/createBackup.ts'
import type { User } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { backupScratchDatabases } from '../helpers/backupScratchDatabases.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const DAY = 24 * 60 * 60 * 1000
/** The schedule's clock, injected: the archives are named by it, and fall due by it. */
const start = new Date('2026-12-01T03:00:00')
const at = (offsetMs: number) => new Date(start.getTime() + offsetMs)
const SECTION_NAME = 'Backups 备份栏目'

let kitchen: TestKitchen
let payload: Payload
let dir: string
let editor: User
let tokens: Record<'editor' | 'reporter', string>

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  dir = await mkdtemp(path.join(tmpdir(), 'hongyan-test-scheduled-backups-'))
  await payload.create({ collection: collectionSlugs.sections, data: { name: SECTION_NAME, order: 1 } })
  const staff = await createStaff({ payload, domain: 'backup.test', roles: ['editor', 'reporter'] })
  editor = staff.users.editor
  tokens = staff.tokens
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

function step(now: Date) {
  return runScheduledBackup({
    payload,
    settings: { everyMs: DAY, dir, keep: 2 },
    databaseUrl: kitchen.databaseUrl,
    mediaDir: kitchen.mediaDir,
    now,
  })
}

async function runOf(archive: string) {
  const { docs } = await payload.find({
    collection: collectionSlugs.backupRuns,
    where: { archive: { equals: archive } },
    depth: 0,
  })
  return docs[0]
}

/** What the folder holds, hidden work in progress included. */
async function folder(): Promise<string[]> {
  return (await readdir(dir)).sort()
}

/** The verifications' scratch databases still on the server. */
const scratchDatabases = () => backupScratchDatabases({ databaseUrl: kitchen.databaseUrl })

function getBackupRuns({ token, query }: { token?: string; query: string }) {
  return kitchen.api.rest.GET(
    new Request(`http://localhost/api/backup-runs?${query}`, {
      headers: token ? { authorization: `JWT ${token}` } : {},
    }),
    { params: Promise.resolve({ slug: ['backup-runs'] }) },
  )
}

/** A copy of `from` in the COPY format with `change` made to its unpacked members, packed at `to`. */
async function repack({
  from,
  to,
  change,
}: {
  from: string
  to: string
  change: (dir: string) => Promise<void>
}) {
  const work = await mkdtemp(path.join(tmpdir(), 'hongyan-test-repack-'))
  try {
    await extractTar({ file: from, cwd: work })
    await change(work)
    await createTar({ gzip: true, portable: true, cwd: work, file: to }, [
      'manifest.json',
      'database',
      'media',
    ])
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

describe('the scheduled backup step', () => {
  it('takes a backup when one is due, verifies it by restoring it, and records it verified', async () => {
    const first = archiveFileName({ now: start })
    expect(await step(start)).toEqual({
      step: 'checked',
      archive: first,
      status: 'verified',
      isNew: true,
      pruned: [],
    })
    expect(await folder()).toEqual([first])
    const run = await runOf(first)
    expect(run).toMatchObject({
      status: 'verified',
      madeAt: start.toISOString(),
      bytes: (await stat(path.join(dir, first))).size,
    })
    expect(run?.tables).toBeGreaterThan(10)
    expect(run?.rows).toBeGreaterThan(0)
    expect(run?.reason ?? null).toBeNull()
    // The scratch database the verification restored into is gone again.
    expect(await scratchDatabases()).toEqual([])
  }, 180_000)

  it('is not due again before the interval, from what the folder and the database hold', async () => {
    // Nothing of the last step lives in memory: a restarted worker sees the same.
    expect(await step(at(DAY - 60_000))).toEqual({ step: 'waiting', dueAt: at(DAY) })
    // A backup cut off by a kill (its temporary name) counts for nothing.
    await writeFile(path.join(dir, `.${archiveFileName({ now: at(DAY) })}.0badf00d.partial`), 'half')
    expect(await step(at(DAY - 1000))).toEqual({ step: 'waiting', dueAt: at(DAY) })
    await rm(path.join(dir, `.${archiveFileName({ now: at(DAY) })}.0badf00d.partial`))
  })

  it('only one of two workers takes a due backup', async () => {
    const outcomes = await Promise.all([step(at(DAY)), step(at(DAY))])
    expect(outcomes.map((outcome) => outcome.step).sort()).toEqual(['busy', 'checked'])
    expect(await folder()).toEqual([archiveFileName({ now: start }), archiveFileName({ now: at(DAY) })])
  }, 180_000)

  it('keeps the last N archives', async () => {
    const outcome = await step(at(2 * DAY))
    expect(outcome).toMatchObject({ status: 'verified', pruned: [archiveFileName({ now: start })] })
    expect(await folder()).toEqual([archiveFileName({ now: at(DAY) }), archiveFileName({ now: at(2 * DAY) })])
  }, 180_000)
})

describe('a backup that does not restore to its source', () => {
  // The admin reads the schedule from the kitchen's environment (tests/setup turns it off).
  beforeAll(() => {
    process.env.HONGYAN_BACKUP_EVERY = '1d'
  })
  afterAll(() => {
    process.env.HONGYAN_BACKUP_EVERY = 'off'
  })

  it('fails verification: an alarm in the log, and for editors (not anonymous readers) in the API and the admin', async () => {
    // A COPY-format archive (pg_dump hidden), one row of one table changed and its checksum
    // put right, so that the checksums pass and only the comparison of rows can tell.
    const hidden = { PATH: process.env.PATH, HONGYAN_PG_BIN: process.env.HONGYAN_PG_BIN }
    process.env.PATH = (process.env.PATH ?? '')
      .split(path.delimiter)
      .filter((folder) => !existsSync(path.join(folder, 'pg_dump')))
      .join(path.delimiter)
    process.env.HONGYAN_PG_BIN = ''
    const sound = path.join(await mkdtemp(path.join(tmpdir(), 'hongyan-test-copy-')), 'sound.tar.gz')
    try {
      await createBackup({ databaseUrl: kitchen.databaseUrl, mediaDir: kitchen.mediaDir, out: sound })
    } finally {
      Object.assign(process.env, hidden)
    }
    const corrupt = archiveFileName({ now: at(3 * DAY) })
    await repack({
      from: sound,
      to: path.join(dir, corrupt),
      change: async (work) => {
        const table = path.join(work, 'database', 'tables', 'sections.copy')
        const rows = await readFile(table, 'utf8')
        expect(rows).toContain('Backups')
        const changed = Buffer.from(rows.replace('Backups', 'Backupz'))
        await writeFile(table, changed)
        const manifestFile = path.join(work, 'manifest.json')
        const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest
        expect(manifest.format).toBe('hongyan-copy')
        const entry = manifest.files.find((file) => file.path === 'database/tables/sections.copy')
        if (!entry) throw new Error('no sections.copy in the manifest')
        Object.assign(entry, {
          bytes: changed.length,
          sha256: createHash('sha256').update(changed).digest('hex'),
        })
        await writeFile(manifestFile, JSON.stringify(manifest))
      },
    })
    const logged = vi.spyOn(payload.logger, 'error')
    try {
      // Not due (the newest archive is an hour old): the newest, never checked, is verified.
      expect(await step(at(3 * DAY + 60 * 60_000))).toEqual({
        step: 'checked',
        archive: corrupt,
        status: 'failed',
        isNew: false,
        pruned: [archiveFileName({ now: at(DAY) })],
      })
      expect(logged).toHaveBeenCalledWith({
        msg: expect.stringMatching(
          /^备份验证失败 \/ backup verification failed: .*: the restored copy differs from the backup: table sections: the rows differ/,
        ),
      })
    } finally {
      logged.mockRestore()
    }
    expect(await scratchDatabases()).toEqual([])

    const failed = 'where[status][equals]=failed'
    const forEditor = await getBackupRuns({ token: tokens.editor, query: failed })
    expect(forEditor.status).toBe(200)
    const { docs } = (await forEditor.json()) as { docs: { archive: string; reason: string }[] }
    expect(docs).toEqual([
      expect.objectContaining({
        archive: corrupt,
        reason: expect.stringContaining('table sections: the rows differ'),
      }),
    ])
    expect((await getBackupRuns({ query: failed })).status).toBe(403)
    expect((await getBackupRuns({ token: tokens.reporter, query: failed })).status).toBe(403)

    const banner = renderToStaticMarkup(
      await BackupStatus({ payload, user: editor, i18n: { language: 'zh' } }),
    )
    expect(banner).toContain('role="alert"')
    expect(banner).toContain(`备份验证失败：${corrupt}`)
    const english = renderToStaticMarkup(
      await BackupStatus({ payload, user: editor, i18n: { language: 'en' } }),
    )
    expect(english).toContain(`Backup verification failed: ${corrupt}`)
  }, 240_000)

  it('fails verification when truncated; pruning spares the newest archive that verified', async () => {
    const lastGood = archiveFileName({ now: at(2 * DAY) })
    const truncated = archiveFileName({ now: at(4 * DAY) })
    const bytes = await readFile(path.join(dir, lastGood))
    await writeFile(path.join(dir, truncated), bytes.subarray(0, Math.floor(bytes.length / 2)))
    const outcome = await step(at(4 * DAY + 60_000))
    expect(outcome).toMatchObject({ archive: truncated, status: 'failed', pruned: [] })
    expect((await runOf(truncated))?.reason).toMatch(/^the archive .* is damaged/)
    // The last 2 archives failed; the newest verified one stays beside them.
    expect(await folder()).toEqual([lastGood, archiveFileName({ now: at(3 * DAY) }), truncated])
  }, 180_000)

  it('shows the newest verified backup in the admin once a good one follows', async () => {
    const good = archiveFileName({ now: at(5 * DAY) })
    expect(await step(at(5 * DAY))).toMatchObject({ archive: good, status: 'verified', isNew: true })
    const banner = renderToStaticMarkup(
      await BackupStatus({ payload, user: editor, i18n: { language: 'zh' } }),
    )
    expect(banner).toMatch(/最近备份 .* · \d+(\.\d)? (KB|MB) · 已验证/)
    expect(banner).toContain('role="status"')
    // Nothing for a reporter: the record is the desk's.
    expect(await BackupStatus({ payload, user: { role: 'reporter' } })).toBeNull()
  }, 180_000)
})
