import { renditions } from '../../cms/collections/Media/index.ts'
import { noisyJpeg } from '../lib/noisyJpeg.ts'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import type { Figure } from './report.ts'
import { loginAdmin, startKitchen } from './servers.ts'

/** The renditions Payload makes per upload (cms/collections/Media: WebP sizes and AVIF hero). */
const RENDITIONS_PER_UPLOAD = Object.keys(renditions).length + 1

/** How many photographers upload at once in the throughput figure (a photo desk after an event). */
const AT_ONCE = 8

/**
 * A 12 MP camera JPEG (4000 × 3000, sharp-made Gaussian noise, about 5 MB: noise compresses
 * as badly as a real photograph's detail) uploaded through REST (`POST /api/media`,
 * multipart, as the bench admin) to `next start`; Payload answers once every rendition is
 * written. One warm-up upload, then per run: one upload alone (its latency), and a batch of
 * AT_ONCE uploads sent together, timed from the first request to the last answer (the
 * renditions a newsroom gets a second when several photographers upload at once). Uploads
 * are deleted after they are timed.
 */
export async function benchImageUpload({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  // 4000 × 3000 at JPEG quality 82: about 5.0 MB.
  const image = await noisyJpeg({ width: 4000, height: 3000, sigma: 30, quality: 82 })
  const kitchen = await startKitchen({ env })
  try {
    const token = await loginAdmin({ base: kitchen.url })
    const upload = async (n: number) => {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), `bench-12mp-${n}.jpg`)
      form.append('_payload', JSON.stringify({ alt: `基准测试上传第${n}张` }))
      const started = performance.now()
      const response = await fetch(`${kitchen.url}/api/media`, {
        method: 'POST',
        headers: { authorization: `JWT ${token}` },
        body: form,
      })
      const body = (await response.json()) as {
        doc?: { id: number; sizes?: Record<string, { filename?: string | null }> }
        errors?: unknown
      }
      const ms = performance.now() - started
      if (!response.ok || !body.doc)
        throw new Error(`the upload answered ${response.status}: ${JSON.stringify(body)}`)
      const made = Object.values(body.doc.sizes ?? {}).filter((size) => size.filename).length
      if (made !== RENDITIONS_PER_UPLOAD)
        throw new Error(`the upload made ${made} renditions, not ${RENDITIONS_PER_UPLOAD}`)
      return { ms, id: body.doc.id }
    }
    const remove = async (id: number) => {
      const deleted = await fetch(`${kitchen.url}/api/media/${id}`, {
        method: 'DELETE',
        headers: { authorization: `JWT ${token}` },
      })
      if (!deleted.ok) throw new Error(`deleting the uploaded image answered ${deleted.status}`)
    }
    await remove((await upload(0)).id)
    const times: number[] = []
    const batchMs: number[] = []
    let n = 1
    for (let run = 0; run < runs; run += 1) {
      const alone = await upload(n++)
      times.push(alone.ms)
      await remove(alone.id)
      const started = performance.now()
      const batch = await Promise.all(Array.from({ length: AT_ONCE }, () => upload(n++)))
      batchMs.push(performance.now() - started)
      for (const { id } of batch) await remove(id)
    }
    return [
      {
        name: `upload 12 MP JPEG (${(image.length / 2 ** 20).toFixed(1)} MB) → ${RENDITIONS_PER_UPLOAD} renditions`,
        unit: 'ms',
        samples: times,
        goal: '≤ 2000 ms',
      },
      {
        name: 'derivative throughput (renditions a second, one upload at a time)',
        unit: '/s',
        samples: times.map((ms) => RENDITIONS_PER_UPLOAD / (ms / 1000)),
        goal: '≥ 30/s',
      },
      {
        name: `${AT_ONCE} uploads at once: until the last answers`,
        unit: 'ms',
        samples: batchMs,
      },
      {
        name: `derivative throughput (renditions a second, ${AT_ONCE} uploads at once)`,
        unit: '/s',
        samples: batchMs.map((ms) => (AT_ONCE * RENDITIONS_PER_UPLOAD) / (ms / 1000)),
        goal: '≥ 30/s',
      },
    ]
  } finally {
    await kitchen.stop()
  }
}
