import type { Payload } from 'payload'
import { DEFAULT_SEARCH_API } from '../../../site/planner/index.ts'
import { type SiteBucket, siteBucketOf } from '../../lib/objectStorage.ts'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import { defaultDistDir } from './buildFolders.ts'
import type { SiteDeployResult } from './deploySite.ts'
import { SiteBuildError } from './siteBuildError.ts'
import { siteOrigin } from './siteOrigin.ts'

export interface SiteBuildResult {
  /** The finished build the live symlink now points at. */
  buildDir: string
  stories: number
  /** Stories read from the kitchen for this build (the others came from the plate cache). */
  storiesRead: number
  mediaFiles: number
  /** Pages rendered for this build. */
  pagesRendered: number
  /** Pages whose render key was unchanged: kept from the last build. */
  pagesReused: number
  startedAt: Date
  /** Milliseconds from the start until the new pages were live. */
  pagesLiveMs: number
  durationMs: number
  /** What the deploy to the site bucket did; null without a site bucket. */
  deploy: SiteDeployResult | null
  /**
   * Milliseconds spent in each step, in order: read (the kitchen's changed stories), render
   * (pages, feeds, sitemap), media, swap (the new pages are live from here), deploy (to the site bucket, 0 without one).
   */
  phases: Record<'read' | 'render' | 'media' | 'swap' | 'deploy', number>
}

export interface BuildOptions {
  payload: Payload
  distDir?: string
  mediaDir?: string
  siteUrl?: string
  /**
   * Where the search page asks for results (the kitchen's `GET /api/search`): by default
   * `HONGYAN_SEARCH_URL`, else `/api/search` on the site's own origin (the site server forwards
   * it to the kitchen; a CDN in front of a bucket routes that path to the kitchen).
   */
  searchApi?: string
  /**
   * Awaited once every page, feed and sitemap is written and before anything goes live: the
   * crash tests hold the build here to kill its process at the worst moment, the fault tests
   * stop the database here.
   */
  beforeGoingLive?: () => Promise<void>
  /**
   * The bucket the finished build is deployed to (only what changed is uploaded); by default
   * `HONGYAN_SITE_BUCKET`'s, null for none.
   */
  bucket?: SiteBucket | null
  /** Hears the site paths a deploy changed or deleted (the worker queues the CDN purge). */
  onDeployed?: (paths: string[]) => Promise<void>
}

type OptionalHooks = 'beforeGoingLive' | 'onDeployed'

/** A build's options with their defaults filled in. */
export type BuildDefaults = Required<Omit<BuildOptions, OptionalHooks>> & Pick<BuildOptions, OptionalHooks>

/** A search endpoint the site's pages may ask: an absolute http(s) URL, or a path on the site's own origin. */
function searchApiOf(searchApi: string): string {
  const isPath = /^\/(?!\/)/.test(searchApi)
  const isUrl = URL.canParse(searchApi) && /^https?:$/.test(new URL(searchApi).protocol)
  if (!isPath && !isUrl)
    throw new SiteBuildError(
      `the search endpoint "${searchApi}" is not an http(s) URL or a path (HONGYAN_SEARCH_URL)`,
    )
  return searchApi.replace(/\/+$/, '')
}

/** The options with their defaults filled in, the site address checked. */
export function withDefaults(given: BuildOptions): BuildDefaults {
  const siteUrl = given.siteUrl ?? siteOrigin()
  if (!URL.canParse(siteUrl) || !/^https?:$/.test(new URL(siteUrl).protocol))
    throw new SiteBuildError(`the site address "${siteUrl}" is not an http(s) URL (HONGYAN_SITE_URL)`)
  return {
    ...given,
    distDir: given.distDir ?? defaultDistDir,
    mediaDir: given.mediaDir ?? defaultMediaDir,
    siteUrl,
    searchApi: searchApiOf(given.searchApi ?? (process.env.HONGYAN_SEARCH_URL || DEFAULT_SEARCH_API)),
    bucket: given.bucket === undefined ? (siteBucketOf() ?? null) : given.bucket,
  }
}
