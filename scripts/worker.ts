import { runQueueExclusively } from '../cms/jobs/runQueue.ts'
import { sweepOrphanMedia } from '../cms/ops/sweepOrphanMedia.ts'
import { loadSiteState, stopSearchIndexer } from '../cms/publishing/siteBuild.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

const POLL_MS = 1000
/** The site queue is asked more often: a publish should be on the site within a second or two. */
const SITE_POLL_MS = 250
const MEDIA_SWEEP_EVERY_MS = 60 * 60 * 1000

/**
 * `npm run worker` (and started by `npm start` beside the server): runs due jobs every
 * second. Several may run on one queue; they take turns, and each schedule fires once.
 * Overdue schedules fire at once on start and are recorded as late. On start and every hour
 * it also removes media files a killed upload left without a row (see `sweepOrphanMedia`).
 */
runCli(async () => {
  const database = await prepareEnvironment()
  const payload = await loadMigratedPayload()
  let isStopping = false
  const stop = () => {
    isStopping = true
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  console.log(
    `worker ${process.pid}: running due jobs every ${POLL_MS / 1000} s (site builds every ${SITE_POLL_MS} ms)`,
  )
  // The live build's state in memory before the first publish needs it (the site loop waits for it).
  const warming = loadSiteState().catch((err: unknown) =>
    payload.logger.warn({
      msg: 'the live site build state could not be read ahead; the first build will read it',
      err,
    }),
  )
  // Two loops: a site build takes seconds and must not hold up a schedule that falls due.
  const work = async (queue: 'default' | 'site') => {
    if (queue === 'site') await warming
    while (!isStopping) {
      await runQueueExclusively({ payload, queue, limit: queue === 'site' ? 1 : 20 }).catch(
        (err: unknown) => {
          payload.logger.error({ msg: `the ${queue} job queue run failed; trying again`, err })
        },
      )
      await new Promise((resolve) => setTimeout(resolve, queue === 'site' ? SITE_POLL_MS : POLL_MS))
    }
  }
  const sweep = () =>
    sweepOrphanMedia({ payload }).then(
      () => undefined,
      (err: unknown) => payload.logger.error({ msg: 'the sweep of orphaned media files failed', err }),
    )
  let sweeping = sweep()
  const sweeper = setInterval(() => {
    sweeping = sweeping.then(sweep)
  }, MEDIA_SWEEP_EVERY_MS)
  await Promise.all([work('default'), work('site')])
  clearInterval(sweeper)
  await sweeping
  await stopSearchIndexer()
  await closePayload(payload)
  await database.stop()
})
