import type { Payload } from 'payload'
import { sweepOrphanMedia } from '../ops/sweepOrphanMedia.ts'
import { loadSiteState } from '../publishing/site/buildSite.ts'
import { runQueue } from './runQueue.ts'
import { runBackupSchedule } from './scheduledBackup.ts'
import type { SiteBuildContext } from './siteBuild.ts'

const POLL_MS = 1000
/** The site queue is asked more often: a publish should be on the site within a second or two. */
const SITE_POLL_MS = 250
const MEDIA_SWEEP_EVERY_MS = 60 * 60 * 1000

/**
 * The worker: runs due jobs every second until `signal` aborts, then finishes the jobs it is
 * running and returns. Any number may run on one queue, on any hosts: each claims different
 * jobs (see `claimJobs`), so a schedule fires while another worker builds the site, and each
 * job runs once. Overdue schedules fire at once on start and are recorded as late. On start and every
 * hour it also removes media files a killed upload left without a row (see `sweepOrphanMedia`),
 * and it takes, verifies and prunes the scheduled backups (see `runBackupSchedule`).
 * `siteBuild` goes to every site build it runs (the crash tests' pause before going live).
 */
export async function runWorker({
  payload,
  signal,
  siteBuild,
}: {
  payload: Payload
  signal: AbortSignal
  siteBuild?: SiteBuildContext['siteBuild']
}): Promise<void> {
  payload.logger.info({
    msg: `worker ${process.pid}: running due jobs every ${POLL_MS / 1000} s (site builds every ${SITE_POLL_MS} ms)`,
  })
  // The live build's state in memory before the first publish needs it (the site loop waits for it).
  const warming = loadSiteState().catch((err: unknown) =>
    payload.logger.warn({
      msg: 'the live site build state could not be read ahead; the first build will read it',
      err,
    }),
  )
  const context: SiteBuildContext = { siteBuild }
  // Two loops: a site build takes seconds and must not hold up a schedule that falls due.
  const work = async (queue: 'default' | 'site') => {
    if (queue === 'site') await warming
    while (!signal.aborted) {
      await runQueue({ payload, queue, limit: queue === 'site' ? 1 : 20, context }).catch((err: unknown) => {
        payload.logger.error({ msg: `the ${queue} job queue run failed; trying again`, err })
      })
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
  await Promise.all([work('default'), work('site'), runBackupSchedule({ payload, signal })])
  clearInterval(sweeper)
  await sweeping
}
