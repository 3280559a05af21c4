import { Readable } from 'node:stream'
import busboy from 'busboy'
import { collectionSlugs } from '../slugs.ts'
import { readBodyBytes, requestAround } from './bodyCheck.ts'
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
  const bytes = await readBodyBytes({ request, body: request.body })
  if (bytes instanceof Response) return bytes
  if (await hasFilePart({ type, bytes }))
    return refusalResponse({ code: 'unsupported_media_type', reason: fileNotTaken })
  return requestAround({ request, bytes })
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

const fileNotTaken: Reason = {
  en: 'This endpoint takes no file: files are uploaded to the media library (POST /api/media) only',
  zh: '此接口不接受文件：文件只能上传到媒体库（POST /api/media）',
}
