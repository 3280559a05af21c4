import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'
import { sampleTreePeak } from './measure.ts'

/** One site build on the benchmark's database; prints its timing as one JSON line. */
runCli(async () => {
  const payload = await loadMigratedPayload()
  const cpu = process.cpuUsage()
  // The whole process tree: the build's process, its render threads and any child it starts.
  const memory = sampleTreePeak()
  const result = await buildSite({ payload })
  const treeMb = Math.round(await memory.stop())
  console.log(
    JSON.stringify({
      ms: result.durationMs,
      live: result.pagesLiveMs,
      ...result.phases,
      stories: result.stories,
      storiesRead: result.storiesRead,
      rendered: result.pagesRendered,
      reused: result.pagesReused,
      deployMs: result.phases.deploy,
      deploy: result.deploy && {
        uploaded: result.deploy.uploaded,
        bytesUploaded: result.deploy.bytesUploaded,
        deleted: result.deploy.deleted,
        unchanged: result.deploy.unchanged,
      },
      treeMb,
      // Every thread of the build's process (the render threads too); Postgres apart.
      cpuMs: cpuMs(process.cpuUsage(cpu)),
    }),
  )
  await closePayload(payload)
})

const cpuMs = ({ user, system }: NodeJS.CpuUsage) => Math.round((user + system) / 1000)
