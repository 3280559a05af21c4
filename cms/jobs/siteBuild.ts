import type { Payload, PayloadRequest, TaskConfig } from 'payload'
import type { BuildOptions } from '../publishing/site/buildOptions.ts'
import { queueCdnPurge } from './cdnPurge.ts'

export const SITE_BUILD_TASK = 'siteBuild'
export const SITE_QUEUE = 'site'
/**
 * A burst of publishes inside this window makes one build. Short: a build renders only what
 * changed, and publishes made while a build runs wait for one more build between them.
 */
export const SITE_BUILD_DEBOUNCE_MS = 300

export type SiteBuildInput = { reason: string }

/**
 * What a worker hands its site builds through `req.context` (see runWorker): the crash tests
 * hold a build before it goes live, to kill the worker there.
 */
export type SiteBuildContext = { siteBuild?: Pick<BuildOptions, 'beforeGoingLive'> }

/**
 * Rebuilds the public website. A job whose change an already finished build includes (that
 * build started after this job fell due) does nothing.
 */
export const siteBuildTask: TaskConfig<{
  input: SiteBuildInput
  output: { outcome: string; stories: number; durationMs: number }
}> = {
  slug: SITE_BUILD_TASK,
  label: '重建网站',
  retries: 2,
  inputSchema: [{ name: 'reason', type: 'text', required: true }],
  outputSchema: [
    { name: 'outcome', type: 'text', required: true },
    { name: 'stories', type: 'number', required: true },
    { name: 'durationMs', type: 'number', required: true },
  ],
  handler: async ({ input, req }) => {
    // Loaded here, not at the top: only workers build, and the admin's server need not bundle the renderer.
    // Every job builds: a build reads only what changed, and skipping one because a later build
    // had started could skip a change whose transaction committed after that build read.
    const { buildSite } = await import('../publishing/site/buildSite.ts')
    const logger = req.payload.logger
    const { beforeGoingLive } = (req.context as SiteBuildContext).siteBuild ?? {}
    // Search is no part of the build: the save that took the story live or off indexed it
    // (cms/hooks/indexForSearch.ts).
    const result = await buildSite({
      payload: req.payload,
      beforeGoingLive,
      // With a site bucket: the CDN in front of it forgets what the deploy changed.
      onDeployed: async (paths) => {
        await queueCdnPurge({ payload: req.payload, paths })
      },
    })
    logger.info({
      msg:
        `site rebuilt (${input.reason}): ${result.stories} stories live in ${(result.pagesLiveMs / 1000).toFixed(1)} s ` +
        `(${result.storiesRead} read in ${result.phases.read} ms, ${result.pagesRendered} pages rendered and ` +
        `${result.pagesReused} kept in ${result.phases.render} ms)` +
        (result.deploy
          ? `; deployed ${result.deploy.uploaded} objects (${result.deploy.bytesUploaded} bytes), ` +
            `${result.deploy.deleted} deleted in ${result.phases.deploy} ms`
          : ''),
    })
    return { output: { outcome: 'built', stories: result.stories, durationMs: result.durationMs } }
  },
}

/**
 * Asks for a site build `delayMs` from now, unless one is already waiting to start by then
 * (a burst of publishes makes one build). Shares the caller's transaction through `req`, so
 * a change that rolls back asks for nothing.
 */
export async function queueSiteBuild({
  payload,
  req,
  reason,
  at,
}: {
  payload: Payload
  req?: PayloadRequest
  reason: string
  /** When the build should run, e.g. the end of an embargo; soon by default. */
  at?: Date
}): Promise<void> {
  const due = at ?? new Date(Date.now() + SITE_BUILD_DEBOUNCE_MS)
  const waiting = await payload.count({
    collection: 'payload-jobs',
    where: {
      and: [
        { taskSlug: { equals: SITE_BUILD_TASK } },
        { completedAt: { exists: false } },
        { processing: { equals: false } },
        { hasError: { not_equals: true } },
        { waitUntil: { less_than_equal: due.toISOString() } },
        { waitUntil: { greater_than_equal: new Date(due.getTime() - 60_000).toISOString() } },
      ],
    },
    req,
    overrideAccess: true,
  })
  if (waiting.totalDocs > 0) return
  await payload.jobs.queue({
    task: SITE_BUILD_TASK,
    queue: SITE_QUEUE,
    input: { reason },
    waitUntil: due,
    req,
    overrideAccess: true,
  })
}
