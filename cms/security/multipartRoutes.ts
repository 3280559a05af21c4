import { Readable } from 'node:stream'
import busboy from 'busboy'
import { collectionSlugs } from '../slugs.ts'
import { apiLimits } from './apiLimits.ts'
import { readAtMost } from './bodyCheck.ts'
import { type Reason, refusalResponse } from './refusal.ts'

/**
 * Payload's multipart parser streams every file part of a POST/PATCH under /api to the upload
 * temp folder before any access check, and only the upload collection's hooks remove them. The
 * admin sends every document save as multipart (a `_payload` field), but file parts only to an
 * upload collection. So a multipart body to any other route is read here, within the JSON body
 * limit, and refused with a 415 if it holds a file part: Payload then never writes a file for it.
 */
export function takesUploads({ method, pathname }: { method: string; pathname: string }): boolean {
  const parts = pathname
    .replace(/^\/api\/?/, '')
    .split('/')
    .filter(Boolean)
  if (parts.length === 0 || !uploadCollections.has(parts[0] as string)) return false
  // create: POST /api/media; update: PATCH /api/media/:id, or PATCH /api/media (by where).
  if (method === 'POST') return parts.length === 1
  if (method === 'PATCH') return parts.length <= 2
  return false
}

const uploadCollections: ReadonlySet<string> = new Set([collectionSlugs.media])

/**
 * The request again around its bytes when it is multipart on a route that takes no upload and
 * holds no file part; a 413 past `maxJsonBytes`, a 415 with a file part; the request itself on
 * an upload route or when it is not multipart.
 */
export async function refuseStrayFileParts(request: Request): Promise<Request | Response> {
  const type = request.headers.get('content-type') ?? ''
  if (!request.body || !type.toLowerCase().startsWith('multipart/form-data')) return request
  const url = new URL(request.url)
  if (takesUploads({ method: request.method.toUpperCase(), pathname: url.pathname })) return request
  if (Number(request.headers.get('content-length') ?? 0) > apiLimits.maxJsonBytes)
    return refusalResponse({ code: 'body_too_large', reason: tooLarge })
  const bytes = await readAtMost({ body: request.body, limit: apiLimits.maxJsonBytes })
  if (bytes === 'too large') return refusalResponse({ code: 'body_too_large', reason: tooLarge })
  if (bytes === 'unreadable')
    return refusalResponse({
      code: 'bad_body',
      reason: { en: 'The request body could not be read', zh: '无法读取请求体' },
    })
  if (await hasFilePart({ type, bytes }))
    return refusalResponse({ code: 'unsupported_media_type', reason: fileNotTaken })
  return new Request(request.url, {
    method: request.method,
    headers: new Headers(request.headers),
    body: bytes,
    ...(request.signal instanceof AbortSignal ? { signal: request.signal } : {}),
  })
}

/** Whether busboy (Payload's parser) reads a file part in the body; a broken body is left to checkMultipart. */
async function hasFilePart({ type, bytes }: { type: string; bytes: Buffer }): Promise<boolean> {
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: { 'content-type': type } })
  } catch {
    return false
  }
  return await new Promise<boolean>((resolve) => {
    let found = false
    parser.on('file', (_name, stream) => {
      found = true
      stream.resume()
    })
    parser.on('error', () => resolve(found))
    parser.on('close', () => resolve(found))
    Readable.from([bytes]).pipe(parser)
  })
}

const tooLarge: Reason = {
  en: `The request body is too large (at most ${apiLimits.maxJsonBytes / 1024 / 1024} MB)`,
  zh: `请求体过大（上限 ${apiLimits.maxJsonBytes / 1024 / 1024} MB）`,
}

const fileNotTaken: Reason = {
  en: 'This endpoint takes no file: files are uploaded to the media library (POST /api/media) only',
  zh: '此接口不接受文件：文件只能上传到媒体库（POST /api/media）',
}
