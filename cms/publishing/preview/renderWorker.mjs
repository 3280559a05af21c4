// The preview's render thread (see renderThread.ts): renders one page with the site's own
// renderer and hands the bytes back instead of writing them into a build. Plain JavaScript so
// that it runs without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import { renderPageBytes } from '../site/pageFiles.mjs'

const entry = await import(workerData.entryUrl)

parentPort.on('message', async ({ id, path, data, siteUrl }) => {
  try {
    const bytes = await renderPageBytes(entry, { path, data: JSON.parse(data), siteUrl })
    parentPort.postMessage({ id, bytes }, [bytes.buffer])
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
})
