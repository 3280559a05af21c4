// A render worker (see renderPool.ts): renders pages with the site's renderer and writes them
// into the build. Plain JavaScript so that it runs without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import { renderHtml, writeBuildFile } from './pageFiles.mjs'

const entry = await import(workerData.entryUrl)

parentPort.on('message', async ({ id, path, data, siteUrl, dir, file, replace }) => {
  try {
    const text = await renderHtml(entry, { path, data, siteUrl })
    await writeBuildFile({ dir, file, text, replace })
    parentPort.postMessage({ id })
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
})
parentPort.postMessage({ ready: true })
