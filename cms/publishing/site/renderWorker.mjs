// A render thread (see renderPool.ts): renders pages with the site's renderer and writes them
// into the build. Plain JavaScript so that it runs without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import { renderPageBytes, writeBuildFile } from './pageFiles.mjs'

const entry = await import(workerData.entryUrl)

parentPort.on('message', async ({ id, path, data, siteUrl, dir, file, replace }) => {
  try {
    const page = typeof data === 'string' ? JSON.parse(data) : data
    writeBuildFile({ dir, file, text: await renderPageBytes(entry, { path, data: page, siteUrl }), replace })
    parentPort.postMessage({ id })
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) })
  }
})
