import { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import busboy from 'busboy'
import { apiLimits } from './apiLimits.ts'
import { type Reason, refusalResponse } from './refusal.ts'

/**
 * The request as Payload is to read it. A body other than an upload is read here, at most
 * `maxJsonBytes` and one chunk of it: past the limit it is refused with a 413 and the rest is
 * never read, whoever sends it (a chunked body has no Content-Length to refuse it by). A JSON
 * body that does not parse is refused with a 400. Within the limit the request is made again
 * around the bytes read, so Payload reads them as the client sent them.
 */
export async function readBodyWithinLimit(request: Request): Promise<Request | Response> {
  const type = request.headers.get('content-type') ?? ''
  if (!request.body || type.toLowerCase().startsWith('multipart/form-data')) return request
  const bytes = await readBodyBytes({ request, body: request.body })
  if (bytes instanceof Response) return bytes
  if (type.includes('json') && !isJsonOrEmpty(bytes))
    return refusalResponse({
      code: 'malformed_json',
      reason: { en: 'The request body is not valid JSON', zh: '请求体不是合法的 JSON' },
    })
  return requestAround({ request, bytes })
}

/**
 * The body's bytes, at most `maxJsonBytes` (a 413 past it, by Content-Length or as read), or
 * the refusal; for a request whose body is read before Payload sees it.
 */
export async function readBodyBytes({
  request,
  body,
}: {
  request: Request
  body: NonNullable<Request['body']>
}): Promise<Buffer<ArrayBuffer> | Response> {
  if (Number(request.headers.get('content-length') ?? 0) > apiLimits.maxJsonBytes)
    return refusalResponse({ code: 'body_too_large', reason: tooLarge })
  const bytes = await readAtMost({ body, limit: apiLimits.maxJsonBytes })
  if (bytes === 'too large') return refusalResponse({ code: 'body_too_large', reason: tooLarge })
  if (bytes === 'unreadable')
    return refusalResponse({
      code: 'bad_body',
      reason: { en: 'The request body could not be read', zh: '无法读取请求体' },
    })
  return bytes
}

/** The request again around the bytes read from its body. */
export function requestAround({ request, bytes }: { request: Request; bytes: Buffer<ArrayBuffer> }): Request {
  // Made from its parts: Next.js hands route handlers a Request of its own class, which the
  // global Request cannot copy (`new Request(request)` throws on its private fields).
  return new Request(request.url, {
    method: request.method,
    headers: new Headers(request.headers),
    body: bytes,
    ...(request.signal instanceof AbortSignal ? { signal: request.signal } : {}),
  })
}

/**
 * Refuses a multipart upload whose structure is broken (a part header with a NUL byte, a
 * missing boundary): Payload's parser would fail on it with a 500. Reads a copy of the body
 * and never keeps file contents.
 */
export async function checkMultipart(request: Request): Promise<Response | null> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data') || !request.body) return null
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: { 'content-type': type } })
  } catch (err) {
    return refusalResponse({ code: 'malformed_upload', reason: unreadableUpload((err as Error).message) })
  }
  const source = Readable.fromWeb(request.clone().body as ReadableStream)
  const message = await new Promise<string | null>((resolve) => {
    let read = 0
    parser.on('file', (_name, stream) => stream.resume())
    parser.on('error', (err: Error) => {
      source.destroy()
      resolve(err.message)
    })
    parser.on('close', () => resolve(null))
    source.on('error', () => resolve(null))
    source.on('data', (chunk: Buffer) => {
      read += chunk.length
      if (read <= MULTIPART_CHECK_BYTES) return
      source.unpipe(parser)
      source.destroy()
      resolve(null)
    })
    source.pipe(parser)
  })
  if (message === null) return null
  await drain(request)
  return refusalResponse({ code: 'malformed_upload', reason: unreadableUpload(message) })
}

/** Bytes of a multipart body read to check its structure; past it, Payload's own 413 answers. */
const MULTIPART_CHECK_BYTES = 26 * 1024 * 1024

const tooLarge: Reason = {
  en: `The request body is too large (at most ${apiLimits.maxJsonBytes / 1024 / 1024} MB)`,
  zh: `请求体过大（上限 ${apiLimits.maxJsonBytes / 1024 / 1024} MB）`,
}

const unreadableUpload = (message: string): Reason => ({
  en: `The upload form cannot be read: ${message}`,
  zh: `上传表单无法解析：${message}`,
})

/**
 * The body's bytes, read chunk by chunk and given up (the stream cancelled, nothing more read
 * or kept) as soon as they pass `limit`; 'unreadable' when the client broke off.
 */
export async function readAtMost({
  body,
  limit,
}: {
  body: NonNullable<Request['body']>
  limit: number
}): Promise<Buffer<ArrayBuffer> | 'too large' | 'unreadable'> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let read = 0
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>
    try {
      next = await reader.read()
    } catch {
      return 'unreadable'
    }
    if (next.done) return Buffer.concat(chunks, read)
    read += next.value.byteLength
    if (read > limit) {
      await reader.cancel()
      return 'too large'
    }
    chunks.push(next.value)
  }
}

function isJsonOrEmpty(bytes: Buffer): boolean {
  const text = bytes.toString('utf8')
  if (text.trim() === '') return true
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * Reads (and drops) what is left of a refused request's body, up to the upload limit, so the
 * client receives the refusal instead of a connection reset while it is still sending.
 */
async function drain(request: Request): Promise<void> {
  const reader = request.body?.getReader()
  if (!reader) return
  let read = 0
  while (read <= MULTIPART_CHECK_BYTES) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
    if (done) return
    read += value?.byteLength ?? 0
  }
  await reader.cancel().catch(() => {})
}
