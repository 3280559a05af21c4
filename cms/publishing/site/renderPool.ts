import { availableParallelism } from 'node:os'
import path from 'node:path'
import type { PageData } from '../../../site/planner/index.ts'
import { projectRoot } from '../../paths.ts'
import { SiteRenderError, type SiteRenderer } from './renderer.ts'

/** A page to render and where to write it. */
export interface RenderJob {
  path: string
  /** The page's data, or its JSON. */
  data: PageData | string
  siteUrl: string
  /** The build folder, and the page's file in it. */
  dir: string
  file: string
  /** The build is live: the page replaces the old one in one rename. */
  replace: boolean
}

type Waiting = { resolve: () => void; reject: (err: Error) => void }
type Thread = { worker: import('node:worker_threads').Worker; waiting: Map<number, Waiting>; failed: boolean }

/**
 * Worker threads that render pages and write them into the build, so that a build renders
 * on every core while its own thread reads stories from the kitchen. Each thread loads the
 * renderer once. Threads hold no work between builds and do not keep the process alive.
 */
export class RenderPool {
  readonly rendererId: string
  private readonly entryUrl: string
  private readonly threads: Thread[] = []
  private next = 0

  constructor({ renderer, size = renderThreads() }: { renderer: SiteRenderer; size?: number }) {
    this.rendererId = renderer.id
    this.entryUrl = renderer.entryUrl
    for (let at = 0; at < size; at += 1) this.threads.push(this.start())
  }

  /** Renders and writes one page; rejects with the reason rendering failed. */
  render(job: RenderJob): Promise<void> {
    const at = this.leastBusy()
    let thread = this.threads[at] as Thread
    if (thread.failed) {
      thread = this.start()
      this.threads[at] = thread
    }
    const id = this.next++
    return new Promise<void>((resolve, reject) => {
      if (thread.waiting.size === 0) thread.worker.ref()
      thread.waiting.set(id, { resolve, reject })
      try {
        thread.worker.postMessage({ id, ...job })
      } catch (err) {
        // Data that cannot cross to a thread: this page fails, the thread is not held.
        thread.waiting.delete(id)
        if (thread.waiting.size === 0) thread.worker.unref()
        reject(err)
      }
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map(({ worker }) => worker.terminate()))
  }

  private leastBusy(): number {
    let best = 0
    for (const [at, thread] of this.threads.entries())
      if (thread.waiting.size < (this.threads[best] as Thread).waiting.size) best = at
    return best
  }

  private start(): Thread {
    const worker = new Threads.Worker(workerFile(), {
      workerData: { entryUrl: this.entryUrl },
      // The build's own options (a TypeScript loader) are not needed to render.
      execArgv: [],
    })
    const thread: Thread = { worker, waiting: new Map(), failed: false }
    worker.unref()
    const settle = (id: number, error?: string) => {
      const waiting = thread.waiting.get(id)
      if (!waiting) return
      thread.waiting.delete(id)
      if (thread.waiting.size === 0) worker.unref()
      if (error) waiting.reject(new SiteRenderError(error))
      else waiting.resolve()
    }
    worker.on('message', (message: { id?: number; error?: string }) => {
      if (typeof message.id === 'number') settle(message.id, message.error)
    })
    const fail = (reason: string) => {
      thread.failed = true
      for (const id of [...thread.waiting.keys()]) settle(id, reason)
    }
    worker.on('error', (err) => fail(`a render thread failed: ${err.message}`))
    worker.on('exit', (code) => fail(`a render thread stopped (exit code ${code})`))
    return thread
  }
}

/**
 * Looked up at run time: Next.js bundles this module (the site-build job is in Payload's
 * config), and its bundler would try to bundle a worker it sees started with `new Worker`.
 */
const Threads = process.getBuiltinModule('node:worker_threads')
const workerFile = () => path.join(projectRoot, 'cms', 'publishing', 'site', 'renderWorker.mjs')

/** Render threads: HONGYAN_RENDER_THREADS, or one a core. */
export function renderThreads(): number {
  const given = Number(process.env.HONGYAN_RENDER_THREADS)
  return Number.isInteger(given) && given > 0 ? given : availableParallelism()
}

let shared: RenderPool | null = null

/** The process's render pool for `renderer`: a new renderer gets new threads. */
export async function renderPoolFor(renderer: SiteRenderer): Promise<RenderPool> {
  if (shared?.rendererId === renderer.id) return shared
  await shared?.close()
  shared = new RenderPool({ renderer })
  return shared
}
