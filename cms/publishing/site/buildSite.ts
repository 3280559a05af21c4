import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import {
  copyFile,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
} from 'node:fs/promises'
import { setPriority } from 'node:os'
import path from 'node:path'
import pLimit from 'p-limit'
import * as pagefind from 'pagefind'
import type { Payload } from 'payload'
import { SitemapIndexStream, SitemapStream, streamToPromise } from 'sitemap'
import { sectionChannel, siteChannel } from '../../site/src/lib/feeds.ts'
import { type PageData, type StorySummary, summarize } from '../../site/src/lib/pages.ts'
import {
  fileOf,
  layoutOf,
  planListPages,
  planStoryPage,
  storyPageData,
  storyPageJson,
} from '../../site/src/lib/plan.ts'
import { relatedTracker, sectionPath } from '../../site/src/lib/site.ts'
import { buildAtom } from '../channels/feeds/atom.ts'
import { FEED_ITEM_LIMIT } from '../channels/feeds/feedItems.ts'
import { buildJsonFeed } from '../channels/feeds/jsonFeed.ts'
import { buildRss } from '../channels/feeds/rss.ts'
import type { PlatedSection, PublishedStory } from '../channels/types.ts'
import { withAdvisoryLock } from '../db/advisoryLock.ts'
import { isAbandoned, ownerTag } from '../lib/workOwner.ts'
import { mediaDir as defaultMediaDir, projectRoot } from '../paths.ts'
import { collectionSlugs } from '../slugs.ts'
import { plateSection } from './plate/plateStory.ts'
import { plateInBulk } from './plateInBulk.ts'
import { listPublishedStamps, MAX_PLATE_PAGE_SIZE, type PublishedStamp } from './readPublishedStories.ts'
import { writeBuildFile } from './site/pageFiles.mjs'
import { isRendererStale, loadRenderer } from './site/renderer.ts'
import { renderPoolFor } from './site/renderPool.ts'
import {
  type BuildState,
  cachedPlate,
  cachePlates,
  clearDirty,
  type Dependencies,
  isDirty,
  markDirty,
  pruneCachedPlates,
  pruneStates,
  readState,
  sharedParts,
  writeState,
} from './site/store.ts'
import { siteOrigin } from './siteOrigin.ts'

export const defaultDistDir = path.resolve(projectRoot, process.env.HONGYAN_DIST_DIR ?? 'dist')

/** The live site is `<dist>/site`, a symlink to one finished build in `<dist>/site-builds/`. */
export const liveSitePath = (distDir: string) => path.join(distDir, 'site')
const buildsPath = (distDir: string) => path.join(distDir, 'site-builds')

/**
 * A finished build is `<start time in ms>-<random>`. Until it is complete it is
 * `<that>.building-<owner>` (see `ownerTag`), so a build a killed process left half-done is
 * never taken for a finished one, and the next build can tell it from one still running.
 */
const FINISHED_BUILD = /^\d+-[0-9a-f]{8}$/
const BUILDING = '.building-'

/** Names of this process's work in progress (it may build into several dist folders at once). */
const workInProgress = new Set<string>()

export interface SiteBuildResult {
  /** The finished build the live symlink now points at. */
  buildDir: string
  stories: number
  /** Stories read from the kitchen for this build (the others came from the plate cache). */
  storiesRead: number
  mediaFiles: number
  /** Pages rendered for this build. */
  pagesRendered: number
  /** Pages whose render key was unchanged: hard-linked from the last build. */
  pagesReused: number
  /** Story pages in the new search index; null when a newer build was left to index them. */
  pagesIndexed: number | null
  startedAt: Date
  /** Milliseconds from the start until the new pages were live (the search index follows). */
  pagesLiveMs: number
  durationMs: number
  /**
   * Milliseconds spent in each step, in order: read (the kitchen's changed stories), render
   * (pages, feeds, sitemap), media, swap (the new pages are live from here, with the previous
   * search index), search (the new index swapped in).
   */
  phases: Record<'read' | 'render' | 'media' | 'search' | 'swap', number>
}

export class SiteBuildError extends Error {
  readonly output: string
  constructor({ message, output, cause }: { message: string; output?: string; cause?: unknown }) {
    super(message, { cause })
    this.name = 'SiteBuildError'
    this.output = output ?? ''
  }
}

export interface BuildOptions {
  payload: Payload
  distDir?: string
  mediaDir?: string
  siteUrl?: string
  /**
   * Asked before the search index is built and again before it is written: true when a newer
   * build is about to run. This build then leaves the index to it (its pages stay live with
   * the carried index).
   */
  isSuperseded?: () => Promise<boolean>
  /**
   * `wait` (the default): the build indexes the new pages for search before it returns.
   * `background`: it returns once the pages are live and indexes in the background (the
   * worker: the next publish need not wait for the archive to be indexed).
   */
  search?: 'wait' | 'background'
  onIndexed?: (result: { pages: number; durationMs: number }) => void
  onSearchError?: (err: unknown) => void
}

/**
 * Builds the public website from what the public may read, then swaps it in at once.
 * Only stories the kitchen changed since the last build are read (the rest come from the
 * plate cache); only pages whose render key changed are rendered, by the renderer Astro
 * compiled (`site/`), the others are hard-linked from the last build; the feeds and the
 * sitemap are written afresh. The media the stories show and the live search index are
 * linked in, and only then does `<dist>/site` point at the new build (one atomic rename).
 * Pagefind then indexes the new pages and the build's `pagefind` symlink is switched to the
 * new index. A failed build removes its folder and leaves the last good site serving; a
 * build whose process was killed leaves its folder to the next build, which removes it. The
 * build before the new one is kept (a reader mid-page keeps its files), older ones are removed.
 */
export async function buildSite(given: BuildOptions): Promise<SiteBuildResult> {
  const options: BuildDefaults = {
    ...given,
    distDir: given.distDir ?? defaultDistDir,
    mediaDir: given.mediaDir ?? defaultMediaDir,
    siteUrl: given.siteUrl ?? siteOrigin(),
    search: given.search ?? 'wait',
  }
  const { payload, distDir, siteUrl } = options
  if (!URL.canParse(siteUrl) || !/^https?:$/.test(new URL(siteUrl).protocol))
    throw new SiteBuildError({
      message: `the site address "${siteUrl}" is not an http(s) URL (HONGYAN_SITE_URL)`,
    })
  return withBuildLock({ payload, distDir }, () => buildLocked(options))
}

/** A build's options with their defaults filled in. */
type BuildDefaults = Required<Omit<BuildOptions, 'isSuperseded' | 'onIndexed' | 'onSearchError'>> &
  Pick<BuildOptions, 'isSuperseded' | 'onIndexed' | 'onSearchError'>

/**
 * One site build at a time per dist folder, whichever process runs it (the worker, another
 * worker, `npm run build:site`): builds wait for each other rather than interleave their writes.
 */
async function withBuildLock<T>(
  { payload, distDir }: { payload: Payload; distDir: string },
  work: () => Promise<T>,
): Promise<T> {
  const held = await withAdvisoryLock({ payload, key: `hongyan-site-build:${path.resolve(distDir)}`, work })
  if (!held.isLocked) throw new Error('site build: the build lock was not taken')
  return held.value
}

async function buildLocked(options: BuildDefaults): Promise<SiteBuildResult> {
  const { distDir } = options
  const startedAt = new Date()
  const buildDir = path.join(buildsPath(distDir), `${startedAt.getTime()}-${randomUUID().slice(0, 8)}`)
  const workDir = `${buildDir}${BUILDING}${ownerTag()}`
  workInProgress.add(path.basename(workDir))
  try {
    await removeAbandonedBuilds({ distDir })
    await mkdir(workDir, { recursive: true })
    return await buildInto({ ...options, startedAt, workDir, buildDir })
  } catch (err) {
    await rm(workDir, { recursive: true, force: true })
    if ((await liveBuild({ distDir })) !== buildDir) await rm(buildDir, { recursive: true, force: true })
    throw err
  } finally {
    workInProgress.delete(path.basename(workDir))
  }
}

/** One build's options with their defaults filled in, and where it builds. */
type BuildPlan = BuildDefaults & { startedAt: Date; workDir: string; buildDir: string }

async function buildInto({
  payload,
  distDir,
  mediaDir,
  siteUrl,
  isSuperseded,
  search,
  onIndexed,
  onSearchError,
  startedAt,
  workDir,
  buildDir,
}: BuildPlan): Promise<SiteBuildResult> {
  const clock = phaseClock()
  const renderer = await loadRenderer()
  const pool = await renderPoolFor(renderer)
  const previous = await liveBuild({ distDir })
  const prior = previous ? await readState({ distDir, build: previous }) : null
  const catalog = await readCatalog({ payload })
  const { layout, layoutKey } = layoutOf({ sections: catalog.sections, planId: planSourceId() })

  // A build this renderer rendered for this address, finished (no update of it cut short),
  // is updated in place: only the pages whose key changed are written, each replaced in one
  // rename. Otherwise every page is rendered into a new build, swapped in whole.
  const canUpdate =
    prior &&
    previous &&
    prior.rendererId === renderer.id &&
    prior.siteUrl === siteUrl &&
    !(await isDirty({ distDir, build: previous }))
  const inPlace = canUpdate && previous && prior ? { build: previous, prior } : null
  const target = inPlace ? inPlace.build : workDir
  if (inPlace) {
    await rm(workDir, { recursive: true, force: true })
    await markDirty({ distDir, build: inPlace.build })
  }
  // Stories no longer public (withdrawn, unpublished, embargoed again): their pages go with the
  // rest of the change, so no list links to a page already gone; if the build fails, they are
  // removed from the live build all the same.
  let withdrawn = removedStories({ prior, current: new Set(catalog.stamps.map((story) => story.id)) })
  const dropWithdrawn = async () => {
    if (previous) await removePages({ dir: previous, paths: withdrawn.map((story) => story.path) })
  }
  const write: WriteFile = (file) => writeBuildFile({ ...file, replace: !!inPlace })
  const pages: Record<string, string> = {}
  let pagesRendered = 0
  let pagesReused = 0
  // Pages waiting for a render thread hold their data (a story in full): a few hundred at most.
  const limit = pLimit({ concurrency: RENDERS_IN_FLIGHT, rejectOnClear: true })
  const rendering: Promise<void>[] = []
  /** The first thing that went wrong: it stops the reading and every render not started. */
  let failure: { error: unknown } | null = null
  const fail = (error: unknown) => {
    if (failure) return
    failure = { error }
    limit.clearQueue()
  }
  /** Records the page; renders it unless the build it updates has it with the same key. */
  const place = ({
    path: pagePath,
    key,
    data,
  }: {
    path: string
    key: string
    /** The page's data, or its JSON (a string crosses to a render thread without a copy of each object). */
    data: () => Promise<PageData | string>
  }) => {
    pages[pagePath] = key
    if (inPlace?.prior.pages[pagePath] === key) {
      pagesReused += 1
      return
    }
    const rendered = limit(async () => {
      await pool.render({
        path: pagePath,
        data: await data(),
        siteUrl,
        dir: target,
        file: fileOf(pagePath),
        replace: !!inPlace,
      })
      pagesRendered += 1
    })
    rendered.catch(fail)
    rendering.push(rendered)
  }
  const plates = plateReader({ payload, distDir, keep: feedStoryIds(catalog.stamps) })
  const related = relatedTracker<StorySummary>()
  /** Oldest first, as read. */
  const summaries: StorySummary[] = []
  let storiesRead = 0
  // Story pages render on the render threads as their stories arrive, oldest first: a page
  // shows only earlier stories beside its own, so it is complete as soon as its story is read.
  try {
    // While the stories are the last build's, in its order, and the layout is the same, each
    // story page's key is the one the last build gave it: a publish relates one story, not all.
    let isSamePrefix = !!inPlace && inPlace.prior.layoutKey === layoutKey
    for await (const batch of readStories({ payload, distDir, prior, catalog, plates })) {
      if (failure) break
      for (const { summary, json } of batch) {
        const priorKey = inPlace?.prior.pages[summary.path]
        isSamePrefix &&= inPlace?.prior.stories[summaries.length] === summary && priorKey !== undefined
        summaries.push(summary)
        if (json !== undefined) storiesRead += 1
        if (isSamePrefix && priorKey !== undefined) {
          // The live build has this page as it is: kept, not rendered.
          pages[summary.path] = priorKey
          pagesReused += 1
          related.add(summary)
          continue
        }
        const page = planStoryPage({ story: summary, related: related.next(summary), layoutKey })
        place({
          path: page.path,
          key: page.key,
          data: async () =>
            json === undefined
              ? storyPageData({ page, story: await plates.read(summary), layout })
              : storyPageJson({ page, storyJson: json, layout }),
        })
      }
      // The reading waits for the rendering, so pages queued hold a bounded number of stories.
      const caughtUp = rendering.at(-RENDERS_QUEUED)
      if (caughtUp) await caughtUp.catch(() => undefined)
    }
  } catch (err) {
    fail(err)
  }
  const readMs = clock()
  // A story withdrawn while the build read the others is withdrawn too.
  withdrawn = removedStories({ prior, current: new Set(summaries.map((story) => story.id)) })
  const newest = summaries.toReversed()
  if (!failure)
    for (const page of planListPages({ stories: newest, layout, layoutKey }))
      place({ path: page.path, key: page.key, data: async () => page.data })
  // One failure stops the rest (none is left writing into the build).
  await Promise.allSettled(rendering)
  if (failure) {
    await dropWithdrawn()
    throw (failure as { error: unknown }).error
  }
  const files = [
    ...(await writeFeeds({
      stories: newest,
      sections: layout.sections,
      plates,
      dir: target,
      siteUrl,
      write,
    })),
    ...(await writeSitemap({ paths: Object.keys(pages), dir: target, siteUrl, write })),
  ]
  if (!inPlace) await linkTree({ from: renderer.clientDir, to: target })
  const renderMs = clock()
  if (process.env.HONGYAN_TEST_PAUSE_BUILD === '1') await pauseForCrashTest()

  const mediaFiles = new Set(summaries.flatMap((story) => story.mediaFiles))
  await shareMedia({
    distDir,
    files: mediaFiles,
    from: mediaDir,
    buildDir: target,
    onMissing: (file) => payload.logger.warn({ msg: `site build: the media file ${file} is missing` }),
  })
  const mediaMs = clock()
  let buildDirLive = buildDir
  if (inPlace) {
    // Withdrawn stories' pages, emptied lists, a removed section's feed: gone now.
    await removeStale({ dir: target, prior: inPlace.prior, pages, files })
    buildDirLive = inPlace.build
  } else {
    // The pages go live first, with the search index there is: a publish shows on the site
    // without waiting for the whole archive to be indexed again.
    await linkSearchIndex({ distDir, buildDir: target })
    // Complete but for search: it takes its finished name, then goes live.
    await rename(workDir, buildDir)
    await swapLive({ distDir, buildDir })
  }
  const swapMs = clock()
  const pagesLiveMs = Date.now() - startedAt.getTime()
  // Written once the pages are live: a build whose process dies before this leaves the build
  // marked dirty (or no state at all), and the next build renders every page into a new one.
  await writeState({
    distDir,
    build: buildDirLive,
    state: {
      rendererId: renderer.id,
      siteUrl,
      layoutKey,
      dependencies: catalog.dependencies,
      stories: summaries,
      pages,
      files,
    },
  })
  if (inPlace) await clearDirty({ distDir, build: inPlace.build })
  await unshareMedia({ distDir, keep: mediaFiles })
  await pruneCachedPlates({ distDir, keep: new Set(summaries.map((story) => story.id)) })
  let pagesIndexed: number | null = null
  // A story that left the site leaves search now too: the index is rebuilt before the build
  // ends, even in the background mode (its text must not stay findable for minutes).
  if (search === 'background' && withdrawn.length === 0)
    indexForSearchInBackground({ distDir, onIndexed, onError: onSearchError })
  else
    pagesIndexed = await replaceSearchIndex({
      distDir,
      buildDir: buildDirLive,
      isSuperseded: withdrawn.length ? undefined : isSuperseded,
    })
  const searchMs = clock()
  if (!inPlace) await pruneOldBuilds({ distDir, live: buildDir, previous })
  const finished = (await readdir(buildsPath(distDir))).filter((name) => FINISHED_BUILD.test(name))
  await pruneStates({ distDir, builds: new Set(finished) })
  return {
    buildDir: buildDirLive,
    stories: summaries.length,
    storiesRead,
    mediaFiles: mediaFiles.size,
    pagesRendered,
    pagesReused,
    pagesIndexed,
    startedAt,
    pagesLiveMs,
    durationMs: Date.now() - startedAt.getTime(),
    phases: { read: readMs, render: renderMs, media: mediaMs, swap: swapMs, search: searchMs },
  }
}

/**
 * A digest of the code that plans pages and their keys (`site/src/lib`): the renderer's id
 * does not cover it (the build runs it, not the renderer), so a change to it (how stories are
 * related, what a key covers) changes every page's key, and no key of the last build is
 * trusted.
 */
let planId: string | null = null
function planSourceId(): string {
  if (planId !== null) return planId
  const hash = createHash('sha256')
  for (const file of ['plan.ts', 'site.ts', 'pages.ts'])
    hash.update(readFileSync(path.join(projectRoot, 'site', 'src', 'lib', file), 'utf8'))
  planId = hash.digest('base64url').slice(0, 16)
  return planId
}

/** Pages handed to the render threads at once. */
const RENDERS_IN_FLIGHT = 16
/** Pages queued for rendering before reading waits. */
const RENDERS_QUEUED = 500

/**
 * Holds the build, its pages written and not yet live, until the process is killed: the
 * crash tests (tests/security/crashes.test.ts) kill it here, at the worst moment.
 */
async function pauseForCrashTest(): Promise<never> {
  console.log('site build: paused before going live (HONGYAN_TEST_PAUSE_BUILD=1)')
  return new Promise(() => setInterval(() => undefined, 60_000))
}

/** What a build knows before it reads any story. */
interface Catalog {
  /** What the stories will be plated with. */
  dependencies: Dependencies
  /** Every public story, oldest first. */
  stamps: PublishedStamp[]
  /** The sections of the public stories, as their plates show them. */
  sections: PlatedSection[]
}

async function readCatalog({ payload }: { payload: Payload }): Promise<Catalog> {
  // Read before the stories: a dependency saved meanwhile is seen as changed by the next build.
  const dependencies = await readDependencies({ payload })
  const stamps = await listPublishedStamps({ payload })
  const ids = [...new Set(stamps.flatMap((story) => (story.section ? [story.section] : [])))]
  const found = ids.length
    ? await payload.find({
        collection: collectionSlugs.sections,
        where: { id: { in: ids } },
        overrideAccess: false,
        user: null,
        depth: 0,
        pagination: false,
      })
    : { docs: [] }
  return { dependencies, stamps, sections: found.docs.map((section) => plateSection(section)) }
}

/**
 * The summary of every story the public may read now, oldest first, a batch at a time: from
 * the last build's state when the story and the media, people and section it shows are
 * unchanged since (their `updatedAt` is what the last build saw); read from the kitchen (and
 * cached) otherwise, with the story in full.
 */
async function* readStories({
  payload,
  distDir,
  prior,
  catalog: { dependencies, stamps },
  plates,
}: {
  payload: Payload
  distDir: string
  prior: BuildState | null
  catalog: Catalog
  plates: Plates
}): AsyncGenerator<{ summary: StorySummary; json?: string }[]> {
  const known = new Map(prior?.stories.map((story) => [story.id, story]))
  const isChanged = (kind: keyof Dependencies, id: number) =>
    !prior || prior.dependencies?.[kind]?.[id] !== dependencies[kind][id]
  const isCurrent = (summary: StorySummary | undefined, stamp: string): summary is StorySummary =>
    !!summary &&
    summary.stamp === stamp &&
    !summary.mediaIds.some((media) => isChanged('media', media)) &&
    !summary.people.some((person) => isChanged('people', person.id)) &&
    !(summary.section && isChanged('sections', summary.section.id))
  const share = sharedParts()
  for (let at = 0; at < stamps.length; at += MAX_PLATE_PAGE_SIZE) {
    const batch = stamps.slice(at, at + MAX_PLATE_PAGE_SIZE)
    const fresh = new Map<number, { summary: StorySummary; json: string }>()
    const stale = batch.filter(({ id, stamp }) => !isCurrent(known.get(id), stamp))
    for await (const stories of plateInBulk({ payload, ids: stale.map((story) => story.id) })) {
      const stampOf = new Map(stale.map((story) => [story.id, story.stamp]))
      const cached = stories.map((story) => {
        const json = JSON.stringify(story)
        const summary = share(summarize({ story, stamp: stampOf.get(story.id) ?? story.updatedAt, json }))
        fresh.set(story.id, { summary, json })
        plates.remember(story, summary.digest)
        return { id: story.id, digest: summary.digest, json }
      })
      await cachePlates({ distDir, plates: cached })
    }
    // A story withdrawn between the list and its reading is left out.
    yield batch.flatMap(({ id, stamp }) => {
      const summary = known.get(id)
      if (isCurrent(summary, stamp)) return [{ summary }]
      const read = fresh.get(id)
      return read ? [read] : []
    })
  }
}

/** The `updatedAt` of every medium, person and section, by id. */
async function readDependencies({ payload }: { payload: Payload }): Promise<Dependencies> {
  const stamps = async (collection: keyof Dependencies) => {
    const result = await payload.find({
      collection,
      select: { updatedAt: true },
      depth: 0,
      pagination: false,
    })
    return Object.fromEntries(result.docs.map((doc) => [doc.id, doc.updatedAt]))
  }
  return { media: await stamps('media'), people: await stamps('people'), sections: await stamps('sections') }
}

/** The stories the feeds show: the newest of the site and of each section. */
function feedStoryIds(stamps: PublishedStamp[]): Set<number> {
  const ids = new Set<number>()
  const perSection = new Map<number, number>()
  for (const [at, story] of stamps.toReversed().entries()) {
    if (at < FEED_ITEM_LIMIT) ids.add(story.id)
    if (story.section === null) continue
    const count = perSection.get(story.section) ?? 0
    if (count < FEED_ITEM_LIMIT) ids.add(story.id)
    perSection.set(story.section, count + 1)
  }
  return ids
}

/**
 * The stories the feeds show, in full, kept in memory between the builds of a process (the
 * worker's): a publish writes every feed again without reading 300 stories back from disk.
 */
const keptPlates = new Map<number, { digest: string; story: PublishedStory }>()

/**
 * Full stories for the pages and feeds a build renders: from memory or the plate cache, else
 * the kitchen. The stories in `keep` (those the feeds show) are kept in memory once read.
 */
function plateReader({ payload, distDir, keep }: { payload: Payload; distDir: string; keep: Set<number> }) {
  for (const id of keptPlates.keys()) if (!keep.has(id)) keptPlates.delete(id)
  const remember = (story: PublishedStory, digest: string) => {
    if (keep.has(story.id)) keptPlates.set(story.id, { digest, story })
  }
  return {
    remember,
    read: async (summary: StorySummary): Promise<PublishedStory> => {
      const inMemory = keptPlates.get(summary.id)
      if (inMemory?.digest === summary.digest) return inMemory.story
      const cached = await cachedPlate({ distDir, id: summary.id })
      if (cached?.digest === summary.digest) {
        remember(cached.story, cached.digest)
        return cached.story
      }
      // Missing or not the version the summary describes: read it (the page shows what the summary promised
      // or newer; the next build catches up).
      for await (const [story] of plateInBulk({ payload, ids: [summary.id] })) {
        if (story) {
          const json = JSON.stringify(story)
          const { digest } = summarize({ story, stamp: summary.stamp, json })
          await cachePlates({ distDir, plates: [{ id: story.id, digest, json }] })
          remember(story, digest)
          return story
        }
      }
      throw new SiteBuildError({
        message: `the story ${summary.id} (${summary.path}) is no longer published`,
      })
    },
  }
}

type Plates = ReturnType<typeof plateReader>

/** The site's RSS, Atom and JSON Feed, and each section's RSS: the newest stories, in full. Returns the files written. */
async function writeFeeds({
  stories,
  sections,
  plates,
  dir,
  siteUrl,
  write,
}: {
  /** Newest first. */
  stories: StorySummary[]
  sections: PlatedSection[]
  plates: Plates
  dir: string
  siteUrl: string
  write: WriteFile
}): Promise<string[]> {
  const site = new URL(siteUrl)
  const full = async (stories: StorySummary[]) =>
    Promise.all(stories.slice(0, FEED_ITEM_LIMIT).map((s) => plates.read(s)))
  const newest = await full(stories)
  const now = new Date()
  const feeds: { file: string; text: string }[] = [
    {
      file: 'rss.xml',
      text: buildRss({ stories: newest, channel: siteChannel({ site, feedPath: '/rss.xml' }), now }),
    },
    {
      file: 'atom.xml',
      text: buildAtom({ stories: newest, channel: siteChannel({ site, feedPath: '/atom.xml' }), now }),
    },
    {
      file: 'feed.json',
      text: buildJsonFeed({ stories: newest, channel: siteChannel({ site, feedPath: '/feed.json' }) }),
    },
  ]
  for (const section of sections) {
    const ofSection = await full(stories.filter((story) => story.section?.id === section.id))
    feeds.push({
      file: `${sectionPath(section).slice(1)}rss.xml`,
      text: buildRss({ stories: ofSection, channel: sectionChannel({ site, section }), now }),
    })
  }
  for (const { file, text } of feeds) await write({ dir, file, text })
  return feeds.map(({ file }) => file)
}

/** Sitemaps of every page but search and 404 (50,000 addresses a file), their index, and robots.txt. Returns the files written. */
async function writeSitemap({
  paths,
  dir,
  siteUrl,
  write,
}: {
  paths: string[]
  dir: string
  siteUrl: string
  write: WriteFile
}): Promise<string[]> {
  const listed = paths.filter((page) => page !== '/search/' && page !== '/404/').sort()
  const files: string[] = []
  for (let at = 0; at === 0 || at < listed.length; at += 50_000) {
    const stream = new SitemapStream({ hostname: siteUrl })
    for (const page of listed.slice(at, at + 50_000)) stream.write({ url: page })
    stream.end()
    const file = `sitemap-${files.length}.xml`
    await write({ dir, file, text: (await streamToPromise(stream)).toString() })
    files.push(file)
  }
  const index = new SitemapIndexStream()
  for (const file of files) index.write({ url: new URL(file, siteUrl).href })
  index.end()
  await write({ dir, file: 'sitemap-index.xml', text: (await streamToPromise(index)).toString() })
  const sitemap = new URL('sitemap-index.xml', siteUrl).href
  await write({
    dir,
    file: 'robots.txt',
    text: `User-agent: *\nDisallow: /search/\n\nSitemap: ${sitemap}\n`,
  })
  return [...files, 'sitemap-index.xml', 'robots.txt']
}

type WriteFile = (file: { dir: string; file: string; text: string }) => void

/** Removes from a build updated in place the pages (or the other files) it no longer has. */
async function removeStale({
  dir,
  prior,
  pages,
  files,
}: {
  dir: string
  prior: BuildState
  pages: Record<string, string> | null
  files: string[] | null
}) {
  if (pages)
    await removePages({ dir, paths: Object.keys(prior.pages).filter((page) => pages[page] === undefined) })
  if (files) {
    const kept = new Set(files)
    for (const file of (prior.files ?? []).filter((name) => !kept.has(name))) await removeFile({ dir, file })
  }
}

/** The stories the last build showed that are not public any more. */
function removedStories({ prior, current }: { prior: BuildState | null; current: Set<number> }) {
  return (prior?.stories ?? []).filter((story) => !current.has(story.id))
}

async function removePages({ dir, paths }: { dir: string; paths: string[] }) {
  for (const page of paths) await removeFile({ dir, file: fileOf(page) })
}

async function removeFile({ dir, file }: { dir: string; file: string }) {
  await rm(path.join(dir, file), { force: true })
  // A story's or a list's own folder goes with its page.
  await rmdir(path.dirname(path.join(dir, file))).catch(() => undefined)
}

/**
 * The media the published stories show live in `<dist>/site-media/` (hard links into the
 * media folder, added as stories need them), and every build's `media` is a symlink to it:
 * a build links only the files that are new, not every file of the archive.
 */
const sharedMediaPath = (distDir: string) => path.join(distDir, 'site-media')

async function shareMedia({
  distDir,
  files,
  from,
  buildDir,
  onMissing,
}: {
  distDir: string
  files: Set<string>
  from: string
  buildDir: string
  /** A file a story shows that is not in the media folder: its image is broken, the build goes on. */
  onMissing: (file: string) => void
}) {
  const shared = sharedMediaPath(distDir)
  await mkdir(shared, { recursive: true })
  const present = new Set(await readdir(shared))
  for (const file of files) {
    if (present.has(file)) continue
    const source = path.join(from, path.basename(file))
    const target = path.join(shared, path.basename(file))
    try {
      await link(source, target)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EXDEV' || code === 'EPERM') {
        // Across file systems: copied under a hidden name, then renamed (readers see it whole).
        const temporary = path.join(shared, `.${path.basename(file)}.${randomUUID().slice(0, 8)}`)
        await copyFile(source, temporary)
        await rename(temporary, target)
      } else if (code === 'ENOENT') onMissing(source)
      else if (code !== 'EEXIST') throw err
    }
  }
  if (!(await lstat(path.join(buildDir, 'media')).catch(() => null)))
    await symlink(path.relative(buildDir, shared), path.join(buildDir, 'media'), 'dir')
}

/** Removes from the shared media the files no published story shows any more (withdrawn stories' images). */
async function unshareMedia({ distDir, keep }: { distDir: string; keep: Set<string> }) {
  const shared = sharedMediaPath(distDir)
  for (const file of await readdir(shared))
    if (!keep.has(file)) await rm(path.join(shared, file), { force: true })
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

/** The build the live site serves, or null before the first build. */
export async function liveBuild({
  distDir = defaultDistDir,
}: {
  distDir?: string
} = {}): Promise<string | null> {
  try {
    return path.resolve(distDir, await readlink(liveSitePath(distDir)))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
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

/** Stops Pagefind's indexing service so a one-off build's process can exit. */
export const stopSearchIndexer = () => pagefind.close()

/**
 * The search index lives beside the builds, in `<dist>/site-search/`: each index in a hidden
 * folder `.pagefind-<id>`, and `live`, a symlink to the one in use. Every build's `pagefind`
 * is a symlink to `live`, so a new index serves every build at once, and a build goes live
 * with the index there is, without waiting for a new one.
 */
const SEARCH_LINK = 'pagefind'
const SEARCH_DIR_PREFIX = '.pagefind-'
const searchPath = (distDir: string) => path.join(distDir, 'site-search')
const liveSearchPath = (distDir: string) => path.join(searchPath(distDir), 'live')

async function linkSearchIndex({ distDir, buildDir }: { distDir: string; buildDir: string }) {
  await mkdir(searchPath(distDir), { recursive: true })
  if (!(await lstat(path.join(buildDir, SEARCH_LINK)).catch(() => null)))
    await symlink(path.relative(buildDir, liveSearchPath(distDir)), path.join(buildDir, SEARCH_LINK), 'dir')
}

async function linkTree({ from, to }: { from: string; to: string }) {
  await mkdir(to, { recursive: true })
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) await linkTree({ from: source, to: target })
    else await link(source, target).catch(() => copyFile(source, target))
  }
}

/**
 * Indexes a build's story pages into a new hidden folder, then points `live` there in one
 * atomic rename. The index before it is kept (a reader mid-search keeps its files), older ones
 * are removed. An indexer killed mid-way leaves the last index serving and a hidden partial
 * folder the next indexer removes.
 */
async function replaceSearchIndex({
  distDir,
  buildDir,
  isSuperseded,
}: {
  distDir: string
  buildDir: string
  isSuperseded?: () => Promise<boolean>
}): Promise<number | null> {
  if (await isSuperseded?.()) return null
  const live = liveSearchPath(distDir)
  const replaced = await readlink(live).catch(() => null)
  const name = `${SEARCH_DIR_PREFIX}${Date.now()}-${randomUUID().slice(0, 8)}${BUILDING}${ownerTag()}`
  const building = path.join(searchPath(distDir), name)
  workInProgress.add(name)
  try {
    const pages = await indexForSearch({ buildDir, outputPath: building, isSuperseded })
    if (pages === null) return null
    const finished = name.slice(0, name.indexOf(BUILDING))
    // An index begun after this one (in this process or another) is already live: it is newer.
    const current = await readlink(live).catch(() => null)
    if (current && indexStartedAt(current) > indexStartedAt(finished)) return null
    await rename(building, path.join(searchPath(distDir), finished))
    const next = `${live}.next-${randomUUID().slice(0, 8)}`
    await symlink(finished, next, 'dir')
    await rename(next, live)
    for (const old of await readdir(searchPath(distDir))) {
      const isOld =
        old.startsWith(SEARCH_DIR_PREFIX) && !old.includes(BUILDING) && old < finished && old !== replaced
      if (isOld) await rm(path.join(searchPath(distDir), old), { recursive: true, force: true })
    }
    return pages
  } finally {
    workInProgress.delete(name)
    await rm(building, { recursive: true, force: true })
  }
}

/**
 * Runs Pagefind's indexing service (a child process) at a lower CPU priority, every thread of
 * it: indexing the archive takes minutes at 10,000 stories, and a publish's build and the
 * readers come first. Linux only (`/proc`); elsewhere it runs as it is.
 */
async function lowerIndexerPriority() {
  const children = await readFile(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').catch(() => '')
  for (const pid of children.split(' ').filter(Boolean).map(Number)) {
    const name = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')
    if (!name.startsWith('pagefind')) continue
    for (const thread of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
      try {
        setPriority(Number(thread), INDEXER_NICENESS)
      } catch {
        // Gone, or not ours to change: it keeps its priority.
      }
    }
  }
}

const INDEXER_NICENESS = 15

/** When an index (`.pagefind-<start ms>-<random>`) was begun. */
const indexStartedAt = (name: string) => Number(name.slice(SEARCH_DIR_PREFIX.length).split('-')[0]) || 0

/** One indexer per dist folder in this process; a request while it runs makes it index once more when done. */
const indexers = new Map<string, { again: boolean; done: Promise<void> }>()

/**
 * Indexes the live build for search without holding up the caller (the worker's next site
 * build). A publish made meanwhile asks for one more run, which indexes the newest live build;
 * an index of a build no longer live still serves (it misses only the newest changes).
 */
export function indexForSearchInBackground({
  distDir = defaultDistDir,
  onIndexed,
  onError,
}: {
  distDir?: string
  onIndexed?: (result: { pages: number; durationMs: number }) => void
  onError?: (err: unknown) => void
} = {}): void {
  const running = indexers.get(distDir)
  if (running) {
    running.again = true
    return
  }
  const indexer = { again: true, done: Promise.resolve() }
  indexer.done = (async () => {
    while (indexer.again) {
      indexer.again = false
      const started = performance.now()
      try {
        const buildDir = await liveBuild({ distDir })
        if (!buildDir) return
        const pages = await replaceSearchIndex({ distDir, buildDir })
        if (pages !== null) onIndexed?.({ pages, durationMs: Math.round(performance.now() - started) })
      } catch (err) {
        onError?.(err)
      }
    }
  })().finally(() => indexers.delete(distDir))
  indexers.set(distDir, indexer)
}

/** Resolves when the background indexer of `distDir` (if any) has finished. */
export const searchIndexed = ({ distDir = defaultDistDir }: { distDir?: string } = {}) =>
  indexers.get(distDir)?.done ?? Promise.resolve()

async function indexForSearch({
  buildDir,
  outputPath,
  isSuperseded,
}: {
  buildDir: string
  outputPath: string
  isSuperseded?: () => Promise<boolean>
}): Promise<number | null> {
  const { index, errors } = await pagefind.createIndex({})
  if (!index) throw new SiteBuildError({ message: `Pagefind could not start: ${errors.join('; ')}` })
  await lowerIndexerPriority()
  try {
    // Only story pages are searchable (their article carries data-pagefind-body); lists,
    // tags and archives would cost indexing time and find nothing more.
    const added = await index.addDirectory({ path: buildDir, glob: 'stories/**/*.html' })
    if (added.errors.length) throw new SiteBuildError({ message: `Pagefind: ${added.errors.join('; ')}` })
    // Writing the index is most of the work: a newer build waiting by now will do it instead.
    if (await isSuperseded?.()) return null
    const written = await index.writeFiles({ outputPath })
    if (written.errors.length) throw new SiteBuildError({ message: `Pagefind: ${written.errors.join('; ')}` })
    return added.page_count
  } finally {
    await index.deleteIndex()
  }
}

async function swapLive({ distDir, buildDir }: { distDir: string; buildDir: string }) {
  const live = liveSitePath(distDir)
  const next = `${live}.next-${randomUUID().slice(0, 8)}${BUILDING}${ownerTag()}`
  workInProgress.add(path.basename(next))
  try {
    await symlink(path.relative(distDir, buildDir), next, 'dir')
    await rename(next, live)
  } finally {
    workInProgress.delete(path.basename(next))
  }
}

/**
 * Removes finished builds older than the live one, except the build that was live before it:
 * a build still running (in this process or another) and a newer build are left alone.
 */
async function pruneOldBuilds({
  distDir,
  live,
  previous,
}: {
  distDir: string
  live: string
  previous: string | null
}) {
  for (const name of await readdir(buildsPath(distDir))) {
    const dir = path.join(buildsPath(distDir), name)
    if (FINISHED_BUILD.test(name) && dir < live && dir !== previous)
      await rm(dir, { recursive: true, force: true })
  }
}

/**
 * Removes what builds killed mid-way left behind: their half-built folders in
 * `<dist>/site-builds/`, Astro's scratch folders, a live-symlink swap cut short. Work of a
 * build still running, here or in another process, is left alone.
 */
async function removeAbandonedBuilds({ distDir }: { distDir: string }) {
  const swapPrefix = `${path.basename(liveSitePath(distDir))}.next-`
  const places = [
    { dir: buildsPath(distDir), isWork: (name: string) => !FINISHED_BUILD.test(name) },
    { dir: distDir, isWork: (name: string) => name.startsWith(swapPrefix) },
    {
      dir: searchPath(distDir),
      isWork: (name: string) => name.includes(BUILDING) || name.startsWith('live.next-'),
    },
  ]
  for (const { dir, isWork } of places) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!isWork(name) || workInProgress.has(name)) continue
      const at = name.lastIndexOf(BUILDING)
      const tag = at >= 0 ? name.slice(at + BUILDING.length) : undefined
      const stat = await lstat(path.join(dir, name)).catch(() => null)
      // Work tagged with this process's own name and not in progress was left by an earlier
      // process that had the same pid.
      const isLeftOver = tag === ownerTag() || (stat && isAbandoned({ tag, modifiedAt: stat.mtimeMs }))
      if (!stat || !isLeftOver) continue
      await rm(path.join(dir, name), { recursive: true, force: true })
    }
  }
}
