import { liveSitePath } from '../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../cms/publishing/site/buildSite.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run build:site`: builds the public website from the published stories into
 * `dist/site` (swapped in whole when done). The kitchen's server need not be running.
 */
runCli(async () => {
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    try {
      const result = await buildSite({ payload })
      console.log(
        `site: ${result.stories} stories, ${result.mediaFiles} media files, built in ${(result.durationMs / 1000).toFixed(1)} s → ${liveSitePath('dist')}`,
      )
    } finally {
      await closePayload(payload)
    }
  } finally {
    await database.stop()
  }
})
