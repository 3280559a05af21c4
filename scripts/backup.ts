import path from 'node:path'
import { createBackup, defaultArchivePath } from '../cms/ops/backup/createBackup.ts'
import { mediaDir, projectRoot } from '../cms/paths.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'

/**
 * `npm run backup [-- --out <path>]`: one archive of the database and media/ (or the media
 * bucket's objects when HONGYAN_S3_BUCKET is set) (default
 * `backups/hongyan-<yyyyMMdd-HHmmss>.tar.gz`). See README, "Backups".
 */
runCli(async () => {
  const args = process.argv.slice(2)
  const at = args.indexOf('--out')
  const outArg = at >= 0 ? args[at + 1] : undefined
  if (at >= 0 && (!outArg || outArg.startsWith('--')))
    throw new Error('say where: --out <archive path or folder>')
  // A trailing / names a folder (created if need be) for the default file name.
  const out = outArg
    ? `${path.resolve(projectRoot, outArg)}${/[\\/]$/.test(outArg) ? path.sep : ''}`
    : defaultArchivePath()
  const database = await prepareEnvironment()
  try {
    const { archive, manifest } = await createBackup({
      databaseUrl: database.url,
      mediaDir,
      out,
      log: (line) => console.log(`  ${line}`),
    })
    const { stories, media, users } = manifest.counts
    const relative = path.relative(projectRoot, archive)
    const shown = relative.startsWith('..') ? archive : relative
    console.log(`backup (${manifest.format}): ${stories} stories, ${media} media, ${users} users → ${shown}`)
  } finally {
    await database.stop()
  }
})
