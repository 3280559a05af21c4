import { existsSync } from 'node:fs'
import path from 'node:path'
import { mediaFiles } from '../cms/lib/mediaFiles.ts'
import { restoreBackup } from '../cms/ops/backup/restoreBackup.ts'
import { mediaDir, projectRoot } from '../cms/paths.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'

/**
 * `npm run restore -- <archive> [--media <dir>]`: restores a `npm run backup` archive into
 * an empty database (DATABASE_URL, or the embedded one) and an empty media folder, or the
 * empty media bucket when HONGYAN_S3_BUCKET is set (`--media <dir>` still names a folder).
 * See docs/backups.md.
 */
runCli(async () => {
  const args = process.argv.slice(2)
  const at = args.indexOf('--media')
  const mediaArg = at >= 0 ? args[at + 1] : undefined
  if (at >= 0 && (!mediaArg || mediaArg.startsWith('--'))) throw new Error('say where: --media <folder>')
  const archiveArg = args.find((arg, index) => !arg.startsWith('--') && (at < 0 || index !== at + 1))
  if (!archiveArg) throw new Error('say which archive: npm run restore -- <archive.tar.gz> [--media <dir>]')
  const archive = path.resolve(projectRoot, archiveArg)
  // Before any database is opened (the embedded server would start for nothing).
  if (!existsSync(archive)) throw new Error(`no archive at ${archive}`)
  const target = mediaArg ? path.resolve(projectRoot, mediaArg) : mediaDir
  const media = mediaFiles({ mediaDir: target })
  const bucket = !mediaArg && media.kind === 'bucket' ? media : undefined
  const database = await prepareEnvironment()
  try {
    const { manifest } = await restoreBackup({
      archive,
      databaseUrl: database.url,
      mediaDir: target,
      bucket,
      log: (line) => console.log(`  ${line}`),
    })
    const { stories, media, users } = manifest.counts
    console.log(`restored ${stories} stories, ${media} media, ${users} users into ${database.description}`)
  } finally {
    await database.stop()
  }
})
