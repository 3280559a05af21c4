import type { Payload } from 'payload'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import { defaultDistDir } from './buildFolders.ts'
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
  /**
   * Awaited once every page, feed and sitemap is written and before anything goes live: the
   * crash tests hold the build here to kill its process at the worst moment, the fault tests
   * stop the database here.
   */
  beforeGoingLive?: () => Promise<void>
}

type OptionalHooks = 'isSuperseded' | 'onIndexed' | 'onSearchError' | 'beforeGoingLive'

/** A build's options with their defaults filled in. */
export type BuildDefaults = Required<Omit<BuildOptions, OptionalHooks>> & Pick<BuildOptions, OptionalHooks>

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
    search: given.search ?? 'wait',
  }
}
