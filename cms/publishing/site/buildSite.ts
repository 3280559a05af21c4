import { mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { layoutOf, planListPages, plannerDigest, planRedirects } from '../../../site/planner/index.ts'
import { type HeldLock, withAdvisoryLock } from '../../db/advisoryLock.ts'
import { linkTree } from '../../lib/files/linkTree.ts'
import { projectRoot } from '../../paths.ts'
import {
  defaultDistDir,
  finishedBuilds,
  liveBuild,
  newBuildFolders,
  pruneOldBuilds,
  removeAbandonedBuilds,
  swapLive,
} from './buildFolders.ts'
import { type BuildDefaults, type BuildOptions, type SiteBuildResult, withDefaults } from './buildOptions.ts'
import {
  type BuildState,
  clearDirty,
  isDirty,
  markDirty,
  pruneStates,
  readState,
  writeState,
} from './buildState.ts'
import { deploySite, targetOf } from './deploySite.ts'
import { writeBuildFile } from './pageFiles.mjs'
import { createPageQueue } from './pageQueue.ts'
import { pruneCachedPlates } from './plateCache.ts'
import { feedStoryIds, plateReader } from './plateReader.ts'
import { readCatalog, readStories } from './readStories.ts'
import { writeRedirects } from './redirects.ts'
import { isRendererStale, loadRenderer } from './renderer.ts'
import { renderPoolFor } from './renderPool.ts'
import { shareMedia, unshareMedia } from './sharedMedia.ts'
import { SiteBuildError } from './siteBuildError.ts'
import { removedStories, removePages, removeStale } from './stalePages.ts'
import { type WriteFile, writeFeeds, writeSitemap } from './staticFiles.ts'
import { queueStoryPages } from './storyPages.ts'
import { whileInProgress } from './workInProgress.ts'

/**
 * Builds the public website from what the public may read, then swaps it in at once.
 * Only stories the kitchen changed since the last build are read (the rest come from the
 * plate cache); only pages whose render key changed are rendered, by the renderer Astro
 * compiled (`site/`), the others are kept from the last build; the feeds and the sitemap are
 * written afresh. The media the stories show are linked in, and only then does `<dist>/site`
 * point at the new build (one atomic rename). Search is not the build's work: the kitchen
 * indexes a story in the save that takes it live (cms/publishing/search). A
 * failed build removes its folder and leaves the last good site serving; a build whose
 * process was killed leaves its folder to the next build, which removes it. The build before
 * the new one is kept (a reader mid-page keeps its files), older ones are removed.
 */
export async function buildSite(given: BuildOptions): Promise<SiteBuildResult> {
  const options = withDefaults(given)
  return withBuildLock(options, (lock) => buildLocked({ ...options, lock }))
}

/**
 * Reads the live build's state ahead of the first build (the worker, on start): the first
 * publish then need not wait for it (about half a second at 10,000 stories).
 */
export async function loadSiteState({ distDir = defaultDistDir }: { distDir?: string } = {}): Promise<void> {
  const live = await liveBuild({ distDir })
  if (live) await readState({ distDir, build: live })
  // The render threads, started (they load the renderer meanwhile); a stale renderer is left
  // for the first build to rebuild.
  if (!(await isRendererStale())) await renderPoolFor(await loadRenderer())
}

/** One build's options with their defaults filled in, its lock, and where it builds. */
type BuildPlan = BuildDefaults & { lock: HeldLock; startedAt: Date; workDir: string; buildDir: string }

/**
 * One site build at a time per dist folder, whichever process runs it (the worker, another
 * worker, `npm run build:site`): builds wait for each other rather than interleave their writes.
 */
async function withBuildLock<T>(
  { payload, distDir, bucket }: Pick<BuildDefaults, 'payload' | 'distDir' | 'bucket'>,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  // With a site bucket, one build at a time per bucket, on whichever host: an older build must
  // never deploy over a newer one.
  const key = `hongyan-site-build:${bucket ? targetOf(bucket) : path.resolve(distDir)}`
  const held = await withAdvisoryLock({ payload, key, work })
  if (!held.isLocked) throw new Error('site build: the build lock was not taken')
  return held.value
}

async function buildLocked(options: BuildDefaults & { lock: HeldLock }): Promise<SiteBuildResult> {
  const { distDir } = options
  const startedAt = new Date()
  const { buildDir, workDir } = newBuildFolders({ distDir, startedAt })
  return whileInProgress(workDir, async () => {
    try {
      await removeAbandonedBuilds({ distDir })
      await mkdir(workDir, { recursive: true })
      return await buildInto({ ...options, startedAt, workDir, buildDir })
    } catch (err) {
      await rm(workDir, { recursive: true, force: true })
      if ((await liveBuild({ distDir })) !== buildDir) await rm(buildDir, { recursive: true, force: true })
      throw err
    }
  })
}

async function buildInto(plan: BuildPlan): Promise<SiteBuildResult> {
  const { payload, distDir, mediaDir, siteUrl, startedAt, workDir, buildDir } = plan
  const clock = phaseClock()
  const renderer = await loadRenderer()
  const pool = await renderPoolFor(renderer)
  const previous = await liveBuild({ distDir })
  const prior = previous ? await readState({ distDir, build: previous }) : null
  const catalog = await readCatalog({ payload })
  const { layout, layoutKey } = layoutOf({
    sections: catalog.sections,
    planId: plannerDigest({ projectRoot }),
  })
  const inPlace = await updatableBuild({ distDir, previous, prior, rendererId: renderer.id, siteUrl })
  const target = inPlace ? inPlace.build : workDir
  if (inPlace) {
    await rm(workDir, { recursive: true, force: true })
    await markDirty({ distDir, build: inPlace.build })
  }

  // Story pages render on the render threads as their stories arrive; list pages once all are read.
  const plates = plateReader({ payload, distDir, keep: feedStoryIds(catalog.stamps) })
  const queue = createPageQueue({ pool, siteUrl, dir: target, updating: inPlace?.prior ?? null })
  const { summaries, storiesRead, isComplete } = await queueStoryPages({
    stories: readStories({ payload, distDir, prior, catalog, plates }),
    queue,
    plates,
    layout,
    layoutKey,
    kept: inPlace?.prior.layoutKey === layoutKey ? inPlace.prior : null,
  })
  const readMs = clock()
  // Stories no longer public (withdrawn, unpublished, embargoed again, also while the build
  // read the others): their pages go with the rest of the change, so no list links to a page
  // already gone; if the build fails, they are removed from the live build all the same.
  const withdrawn = removedStories({
    prior,
    current: new Set((isComplete ? summaries : catalog.stamps).map((story) => story.id)),
  })
  const newest = summaries.toReversed()
  if (!queue.hasFailed)
    for (const page of planListPages({ stories: newest, layout, layoutKey, searchApi: plan.searchApi }))
      queue.add({ path: page.path, key: page.key, data: async () => page.data })
  const { rendered, reused } = await queue.drain().catch(async (err: unknown) => {
    if (previous) await removePages({ dir: previous, paths: withdrawn.map((story) => story.path) })
    throw err
  })
  const write: WriteFile = (file) => writeBuildFile({ ...file, replace: !!inPlace })
  const files = [
    ...(await writeFeeds({
      stories: newest,
      sections: layout.sections,
      plates,
      dir: target,
      siteUrl,
      write,
    })),
    ...(await writeSitemap({ paths: Object.keys(queue.keys), dir: target, siteUrl, write })),
    // Former addresses: redirect pages over the stories' old pages (one rename each), never in the sitemap.
    ...(await writeRedirects({
      redirects: planRedirects({ stories: summaries }),
      dir: target,
      siteUrl,
      write,
    })),
  ]
  if (!inPlace) await linkTree({ from: renderer.clientDir, to: target })
  const renderMs = clock()
  await plan.beforeGoingLive?.()
  // Live only under the lock: a database that went away meanwhile took the lock with it, and
  // another build may be under way. This one fails; the last good site stays live.
  await plan.lock.confirm().catch((err: unknown) => {
    throw new SiteBuildError('the database went away during the build (and the build lock with it)', {
      cause: err,
    })
  })

  const mediaFiles = new Set(summaries.flatMap((story) => story.mediaFiles))
  await shareMedia({
    distDir,
    files: mediaFiles,
    from: mediaDir,
    buildDir: target,
    onMissing: (file) => payload.logger.warn({ msg: `site build: the media file ${file} is missing` }),
  })
  const mediaMs = clock()
  if (inPlace) {
    // Withdrawn stories' pages, emptied lists, a removed section's feed: gone now.
    await removeStale({ dir: target, prior: inPlace.prior, pages: queue.keys, files })
  } else {
    // Complete: it takes its finished name, then goes live.
    await rename(workDir, buildDir)
    await swapLive({ distDir, buildDir })
  }
  const liveDir = inPlace ? inPlace.build : buildDir
  const swapMs = clock()
  const pagesLiveMs = Date.now() - startedAt.getTime()
  // Written once the pages are live: a build whose process dies before this leaves the build
  // marked dirty (or no state at all), and the next build renders every page into a new one.
  const state: BuildState = {
    rendererId: renderer.id,
    siteUrl,
    layoutKey,
    dependencies: catalog.dependencies,
    stories: summaries,
    pages: queue.keys,
    files,
  }
  await writeState({ distDir, build: liveDir, state })
  if (inPlace) await clearDirty({ distDir, build: inPlace.build })
  await unshareMedia({ distDir, keep: mediaFiles })
  await pruneCachedPlates({ distDir, keep: new Set(summaries.map((story) => story.id)) })
  const deploy = await deployLive({ ...plan, liveDir })
  const deployMs = clock()
  if (!inPlace) await pruneOldBuilds({ distDir, live: buildDir, previous })
  await pruneStates({ distDir, builds: await finishedBuilds({ distDir }) })
  return {
    buildDir: liveDir,
    stories: summaries.length,
    storiesRead,
    mediaFiles: mediaFiles.size,
    pagesRendered: rendered,
    pagesReused: reused,
    startedAt,
    pagesLiveMs,
    durationMs: Date.now() - startedAt.getTime(),
    deploy,
    phases: { read: readMs, render: renderMs, media: mediaMs, swap: swapMs, deploy: deployMs },
  }
}

/**
 * The live build, when this build may update it in place: the same renderer rendered it for
 * the same address, and no update of it was cut short. Only the pages whose key changed are
 * then written, each replaced in one rename. Otherwise every page is rendered into a new
 * build, swapped in whole.
 */
async function updatableBuild({
  distDir,
  previous,
  prior,
  rendererId,
  siteUrl,
}: {
  distDir: string
  previous: string | null
  prior: BuildState | null
  rendererId: string
  siteUrl: string
}): Promise<{ build: string; prior: BuildState } | null> {
  if (!previous || !prior || prior.rendererId !== rendererId || prior.siteUrl !== siteUrl) return null
  return (await isDirty({ distDir, build: previous })) ? null : { build: previous, prior }
}

/**
 * Deploys the live build to the site bucket, if there is one, still under the build lock. A
 * deploy that fails fails the build (its pages stay live here): the job's retry builds nothing
 * new and resumes the deploy.
 */
async function deployLive({ payload, bucket, lock, liveDir, onDeployed }: BuildPlan & { liveDir: string }) {
  if (!bucket) return null
  await lock.confirm().catch((err: unknown) => {
    throw new SiteBuildError('the database went away before the deploy (and the build lock with it)', {
      cause: err,
    })
  })
  return deploySite({ payload, bucket, buildDir: liveDir, onChanged: onDeployed })
}

/** Milliseconds since the clock was made, or since it was last read. */
function phaseClock(): () => number {
  let last = performance.now()
  return () => {
    const now = performance.now()
    const elapsed = now - last
    last = now
    return Math.round(elapsed)
  }
}
