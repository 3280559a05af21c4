import { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import busboy from 'busboy'
import { apiLimits } from './apiLimits.ts'
import { type Reason, refusalResponse } from './refusal.ts'

/** Refuses a JSON body that is too large or not JSON at all, without consuming the request. */
export async function checkJsonBody(request: Request): Promise<Response | null> {
  if (!(request.headers.get('content-type') ?? '').includes('json')) return null
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > apiLimits.maxJsonBytes) return refusalResponse({ code: 'body_too_large', reason: tooLarge })
  const text = await request.clone().text()
  if (Buffer.byteLength(text) > apiLimits.maxJsonBytes)
    return refusalResponse({ code: 'body_too_large', reason: tooLarge })
  if (text.trim() === '') return null
  try {
    JSON.parse(text)
  } catch {
    return refusalResponse({
      code: 'malformed_json',
      reason: { en: 'The request body is not valid JSON', zh: '请求体不是合法的 JSON' },
    })
  }
  return null
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
