import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { stopSearchIndexer } from '../../cms/publishing/site/searchIndex.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/** One site build on the benchmark's database; prints its timing as one JSON line. */
runCli(async () => {
  const payload = await loadMigratedPayload()
  // HONGYAN_BENCH_SEARCH=skip: the pages only (the worker indexes for search in the background).
  const skipSearch = process.env.HONGYAN_BENCH_SEARCH === 'skip'
  const cpu = process.cpuUsage()
  const result = await buildSite({ payload, isSuperseded: async () => skipSearch })
  console.log(
    JSON.stringify({
      ms: result.durationMs,
      live: result.pagesLiveMs,
      ...result.phases,
      stories: result.stories,
      storiesRead: result.storiesRead,
      rendered: result.pagesRendered,
      reused: result.pagesReused,
      indexed: result.pagesIndexed,
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      // Every thread of the build's process (the render threads too); Postgres apart.
      cpuMs: cpuMs(process.cpuUsage(cpu)),
    }),
  )
  await stopSearchIndexer()
  await closePayload(payload)
})

const cpuMs = ({ user, system }: NodeJS.CpuUsage) => Math.round((user + system) / 1000)
