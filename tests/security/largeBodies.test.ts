import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiLimits } from '../../cms/security/apiLimits.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { processTreeMb } from '../../scripts/bench/measure.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Bodies far over the API's limit, sent chunked (no Content-Length to refuse them by), by an
 * anonymous caller and by an editor: a 413 as soon as the limit is passed, with the rest of
 * the body never read, so the kitchen's memory does not grow with what a client sends.
 */

const HUGE_BYTES = 600 * 1024 * 1024
const CHUNK_BYTES = 64 * 1024
const editor = { email: 'bodies@hongyan.test', password: 'a-long-test-password' }

let kitchen: TestKitchen
let token = ''
let sectionId: number

beforeAll(async () => {
  kitchen = await startTestKitchen()
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { ...editor, name: '值班编辑', role: 'editor' },
  })
  token = (await kitchen.payload.login({ collection: collectionSlugs.users, data: editor })).token ?? ''
  sectionId = (
    await kitchen.payload.create({ collection: collectionSlugs.sections, data: { name: '要闻', order: 1 } })
  ).id
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

/**
 * A JSON body of `totalBytes`, made a fresh chunk at a time only when the reader asks for one
 * (so holding it would cost real memory), counting what was asked for.
 */
function lazyJsonBody({ totalBytes }: { totalBytes: number }) {
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= totalBytes) {
          controller.close()
          return
        }
        const chunk = new Uint8Array(Math.min(CHUNK_BYTES, totalBytes - pulled)).fill(0x20)
        if (pulled === 0) chunk[0] = 0x5b // `[`: the start of a JSON array that never ends
        pulled += chunk.byteLength
        controller.enqueue(chunk)
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, pulled: () => pulled }
}

const postStories = ({ body, auth }: { body: BodyInit; auth: boolean }) =>
  kitchen.api.rest.POST(
    new Request('http://localhost/api/stories', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `JWT ${token}` } : {}) },
    } as RequestInit),
    { params: Promise.resolve({ slug: ['stories'] }) },
  )

describe('a chunked body over the limit, through the API route handler', () => {
  for (const auth of [false, true]) {
    it(`is refused with 413 after the limit is read, ${auth ? 'with a token' : 'anonymous'}`, async () => {
      const body = lazyJsonBody({ totalBytes: HUGE_BYTES })
      const rssBefore = process.memoryUsage().rss
      const started = performance.now()
      const response = await postStories({ body: body.stream, auth })
      const tookMs = performance.now() - started
      const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024
      console.log(
        `largeBodies: in process, ${auth ? 'token' : 'anonymous'}: ${response.status} in ${Math.round(tookMs)} ms, pulled ${body.pulled()} bytes, RSS +${grownMb.toFixed(1)} MB`,
      )
      expect(response.status).toBe(413)
      expect(await response.json()).toMatchObject({ error: 'body_too_large' })
      expect(body.pulled()).toBeLessThanOrEqual(apiLimits.maxJsonBytes + CHUNK_BYTES)
      expect(grownMb).toBeLessThan(50)
      expect(tookMs).toBeLessThan(5_000)
    })
  }

  it('passes a chunked body within the limit on to Payload whole', async () => {
    // 3 MB in 64 KB chunks: the title first, the section last, whitespace between them.
    const bytes = new TextEncoder().encode(
      `{"title":"分块发送的稿件",${' '.repeat(3 * 1024 * 1024)}"section":${sectionId}}`,
    )
    const chunks = Array.from({ length: Math.ceil(bytes.length / CHUNK_BYTES) }, (_, index) =>
      bytes.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES),
    )
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift()
        if (chunk) controller.enqueue(chunk)
        else controller.close()
      },
    })
    const response = await postStories({ body: stream, auth: true })
    expect(response.status).toBe(201)
    const { doc } = (await response.json()) as { doc: { title: string; section: { id: number } } }
    expect(doc).toMatchObject({ title: '分块发送的稿件', section: { id: sectionId } })
  })

  it('still refuses malformed JSON within the limit with 400 malformed_json', async () => {
    const response = await postStories({ body: '{"title":', auth: true })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'malformed_json' })
  })
})

describe('a chunked 600 MB POST to the production server (`next start`)', () => {
  let server: KitchenServer

  beforeAll(async () => {
    server = await startTestKitchenServer()
  }, 600_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('passes a chunked body within the limit on to Payload (a login, one byte a chunk)', async () => {
    const bytes = Buffer.from(JSON.stringify(editor))
    const answer = await chunkedPost({
      url: server.url,
      path: '/api/users/login',
      auth: false,
      nextChunk: (sentBytes) => (sentBytes < bytes.length ? bytes.subarray(sentBytes, sentBytes + 1) : null),
    })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ user: { email: editor.email } })
  })

  for (const auth of [false, true]) {
    it(`answers 413 and the server's memory stays bounded, ${auth ? 'with a token' : 'anonymous'}`, async () => {
      const pid = server.child.pid as number
      // The route's modules loaded and warm before memory is measured.
      await chunkedPost({ url: server.url, auth, nextChunk: endlessArray({ totalBytes: 1024 }) })
      const before = await processTreeMb(pid)
      let peak = before
      let isSampling = true
      const sampling = (async () => {
        while (isSampling) {
          peak = Math.max(peak, await processTreeMb(pid))
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      })()
      const started = performance.now()
      const answer = await chunkedPost({
        url: server.url,
        auth,
        nextChunk: endlessArray({ totalBytes: HUGE_BYTES }),
      })
      const tookMs = performance.now() - started
      await new Promise((resolve) => setTimeout(resolve, 500))
      isSampling = false
      await sampling
      console.log(
        `largeBodies: next start, ${auth ? 'token' : 'anonymous'}: ${answer.status} in ${Math.round(tookMs)} ms after sending ${(answer.sentBytes / 1024 / 1024).toFixed(1)} MB; server RSS ${before.toFixed(0)} MB, peak +${(peak - before).toFixed(1)} MB`,
      )
      expect(answer.status).toBe(413)
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'body_too_large' })
      expect(answer.sentBytes).toBeLessThan(HUGE_BYTES)
      expect(peak - before).toBeLessThan(50)
      // The server goes on answering.
      expect((await fetch(`${server.url}/api/users/me`)).status).toBe(200)
    }, 120_000)
  }
})

/**
 * POSTs a JSON body to `path` in chunks (Transfer-Encoding: chunked) as fast as the server
 * takes them, `nextChunk` making each (null: the end), and stops sending when the answer comes.
 */
function chunkedPost({
  url,
  path = '/api/stories',
  auth,
  nextChunk,
}: {
  url: string
  path?: string
  auth: boolean
  nextChunk: (sentBytes: number) => Buffer | null
}): Promise<{ status: number; body: string; sentBytes: number }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    let sentBytes = 0
    let hasAnswer = false
    const request = httpRequest({
      host: hostname,
      port: Number(port),
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `JWT ${token}` } : {}) },
    })
    request.on('response', (response) => {
      hasAnswer = true
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentBytes })
        request.destroy()
      })
    })
    request.on('error', (err) => {
      if (!hasAnswer) reject(err)
    })
    const send = () => {
      while (!hasAnswer) {
        const chunk = nextChunk(sentBytes)
        if (!chunk) {
          request.end()
          return
        }
        sentBytes += chunk.length
        if (!request.write(chunk)) {
          request.once('drain', send)
          return
        }
      }
    }
    send()
  })
}

/** Chunks of a JSON array that never ends (`[` and spaces), `totalBytes` in all. */
const endlessArray =
  ({ totalBytes }: { totalBytes: number }) =>
  (sentBytes: number): Buffer | null => {
    if (sentBytes >= totalBytes) return null
    const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, totalBytes - sentBytes), 0x20)
    if (sentBytes === 0) chunk[0] = 0x5b
    return chunk
  }
