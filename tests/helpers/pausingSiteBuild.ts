import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { runCli } from '../../scripts/lib/cli.ts'
import { prepareEnvironment } from '../../scripts/lib/environment.ts'
import { loadMigratedPayload } from '../../scripts/lib/payload.ts'
import { pauseBeforeGoingLive } from './pauseBeforeGoingLive.ts'

/**
 * A site build as `npm run build:site` (scripts/buildSite.ts) makes it, held once its pages
 * are written and before it goes live, for the crash tests to kill there.
 */
runCli(async () => {
  await prepareEnvironment()
  await buildSite({ payload: await loadMigratedPayload(), beforeGoingLive: pauseBeforeGoingLive })
})
