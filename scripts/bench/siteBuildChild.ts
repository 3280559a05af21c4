import { buildSite, stopSearchIndexer } from '../../cms/publishing/siteBuild.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/** One full site build on the benchmark's database; prints its timing as one JSON line. */
runCli(async () => {
  const payload = await loadMigratedPayload()
  const result = await buildSite({ payload })
  console.log(
    JSON.stringify({
      ms: result.durationMs,
      live: result.pagesLiveMs,
      ...result.phases,
      stories: result.stories,
      pages: result.pagesIndexed,
      reused: result.pagesReused,
    }),
  )
  await stopSearchIndexer()
  await closePayload(payload)
})
