import { queueCdnPurge } from '../cms/jobs/cdnPurge.ts'
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
      // With a site bucket, the CDN's purge is queued for the worker to send (and retry).
      const result = await buildSite({
        payload,
        onDeployed: async (paths) => {
          await queueCdnPurge({ payload, paths })
        },
      })
      console.log(
        `site: ${result.stories} stories, ${result.mediaFiles} media files, built in ${(result.durationMs / 1000).toFixed(1)} s → ${liveSitePath('dist')}`,
      )
      if (result.deploy)
        console.log(
          `site bucket: ${result.deploy.uploaded} objects uploaded (${result.deploy.bytesUploaded} bytes), ${result.deploy.deleted} deleted, ${result.deploy.unchanged} unchanged`,
        )
    } finally {
      await closePayload(payload)
    }
  } finally {
    await database.stop()
  }
})
