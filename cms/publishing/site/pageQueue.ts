import pLimit from 'p-limit'
import { fileOf, type PageData } from '../../../site/planner/index.ts'
import type { RenderPool } from './renderPool.ts'

/** Pages handed to the render threads at once. */
const RENDERS_IN_FLIGHT = 16
/** Pages queued for rendering before the reading waits. */
const RENDERS_QUEUED = 500

/** A page of the build: where it is, its render key, and how to get its data if it must be rendered. */
export interface QueuedPage {
  path: string
  key: string
  /** The page's data, or its JSON (a string crosses to a render thread without a copy of each object). */
  data: () => Promise<PageData | string>
}

export interface PageQueue {
  /** Root-relative path → render key of every page the build has so far. */
  readonly keys: Record<string, string>
  /** A page the build being updated has with this key already: kept as it is. */
  keep(page: { path: string; key: string }): void
  /** Renders the page on a render thread, unless the build being updated has it with the same key. */
  add(page: QueuedPage): void
  /** Stops the build: the renders not started are dropped, and the first error is the build's. */
  fail(error: unknown): void
  readonly hasFailed: boolean
  /** Waits while too many pages wait for a thread: pages waiting hold their data (a story in full). */
  waitForRoom(): Promise<void>
  /** Waits for every render to settle; rejects with the first failure. */
  drain(): Promise<{ rendered: number; reused: number }>
}

/**
 * The render queue of one build, writing into `dir`. `updating` is the state of the live
 * build updated in place (its pages are replaced one rename each, and a page it has with the
 * same key is kept), or null for a new build.
 */
export function createPageQueue({
  pool,
  siteUrl,
  dir,
  updating,
}: {
  pool: RenderPool
  siteUrl: string
  dir: string
  updating: { pages: Record<string, string> } | null
}): PageQueue {
  const keys: Record<string, string> = {}
  const limit = pLimit({ concurrency: RENDERS_IN_FLIGHT, rejectOnClear: true })
  const renders: Promise<void>[] = []
  const counts = { rendered: 0, reused: 0 }
  let failure: { error: unknown } | null = null

  const fail = (error: unknown) => {
    if (failure) return
    failure = { error }
    limit.clearQueue()
  }
  const render = async ({ path, data }: QueuedPage) => {
    await pool.render({ path, data: await data(), siteUrl, dir, file: fileOf(path), replace: !!updating })
    counts.rendered += 1
  }

  return {
    keys,
    keep({ path, key }) {
      keys[path] = key
      counts.reused += 1
    },
    add(page) {
      keys[page.path] = page.key
      if (updating?.pages[page.path] === page.key) {
        counts.reused += 1
        return
      }
      const rendered = limit(() => render(page))
      rendered.catch(fail)
      renders.push(rendered)
    },
    fail,
    get hasFailed() {
      return failure !== null
    },
    async waitForRoom() {
      await renders.at(-RENDERS_QUEUED)?.catch(() => undefined)
    },
    async drain() {
      // After a failure none is left writing into the build.
      await Promise.allSettled(renders)
      if (failure) throw failure.error
      return counts
    },
  }
}
