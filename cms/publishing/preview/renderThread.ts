import path from 'node:path'
import type { PageData } from '../../../site/planner/index.ts'
import { projectRoot } from '../../paths.ts'
import { loadRenderer, SiteRenderError, type SiteRenderer } from '../site/renderer.ts'

type Waiting = { resolve: (html: string) => void; reject: (err: Error) => void }
type Thread = {
  rendererId: string
  worker: import('node:worker_threads').Worker
  waiting: Map<number, Waiting>
  isFailed: boolean
}

/**
 * One page rendered by the site's own renderer (the one site builds render with, built
 * first when it is missing or stale), returned as HTML and written nowhere: a preview never
 * enters a build. One render thread per process, started on the first preview and idle
 * (not keeping the process alive) between previews.
 */
export async function renderSitePage({
  path: pagePath,
  data,
  siteUrl,
}: {
  path: string
  data: PageData
  siteUrl: string
}): Promise<string> {
  const renderer = await currentRenderer()
  const thread = threadFor(renderer)
  const id = nextId++
  return new Promise<string>((resolve, reject) => {
    if (thread.waiting.size === 0) thread.worker.ref()
    thread.waiting.set(id, { resolve, reject })
    thread.worker.postMessage({ id, path: pagePath, data: JSON.stringify(data), siteUrl })
  })
}

let nextId = 0
let thread: Thread | null = null
let loading: Promise<SiteRenderer> | null = null

/** The renderer as it is now; concurrent previews share one check (and one build, when stale). */
function currentRenderer(): Promise<SiteRenderer> {
  loading ??= loadRenderer().finally(() => {
    loading = null
  })
  return loading
}

function threadFor(renderer: SiteRenderer): Thread {
  if (thread && !thread.isFailed && thread.rendererId === renderer.id) return thread
  if (thread && !thread.isFailed) void thread.worker.terminate()
  const worker = new Threads.Worker(workerFile(), {
    workerData: { entryUrl: renderer.entryUrl },
    execArgv: [],
  })
  const started: Thread = { rendererId: renderer.id, worker, waiting: new Map(), isFailed: false }
  worker.unref()
  const settle = (id: number, outcome: { html?: string; error?: string }) => {
    const waiting = started.waiting.get(id)
    if (!waiting) return
    started.waiting.delete(id)
    if (started.waiting.size === 0) worker.unref()
    if (outcome.error !== undefined) waiting.reject(new SiteRenderError(outcome.error))
    else waiting.resolve(outcome.html ?? '')
  }
  worker.on('message', (message: { id?: number; bytes?: Uint8Array; error?: string }) => {
    if (typeof message.id !== 'number') return
    settle(message.id, message.error ? { error: message.error } : { html: decoder.decode(message.bytes) })
  })
  const fail = (reason: string) => {
    started.isFailed = true
    for (const id of [...started.waiting.keys()]) settle(id, { error: reason })
  }
  worker.on('error', (err) => fail(`the preview's render thread failed: ${err.message}`))
  worker.on('exit', (code) => fail(`the preview's render thread stopped (exit code ${code})`))
  thread = started
  return started
}

const decoder = new TextDecoder()

/**
 * Looked up at run time, as the site build's render pool does: Next.js bundles this module,
 * and its bundler would try to bundle a worker it sees started with `new Worker`.
 */
const Threads = process.getBuiltinModule('node:worker_threads')
const workerFile = () => path.join(projectRoot, 'cms', 'publishing', 'preview', 'renderWorker.mjs')
