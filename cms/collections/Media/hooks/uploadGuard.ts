import { randomBytes } from 'node:crypto'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type'
import { type CollectionBeforeOperationHook, ValidationError } from 'payload'
import sharp from 'sharp'
import { pinyinSlug } from '../../../lib/pinyinSlug.ts'
import { mediaContentSecurityPolicy } from '../../../security/headers.ts'
import { decodeForRenditions } from './renditions.ts'

/**
 * The most pixels an upload may decode to: a 45 MP camera frame passes, a decompression
 * bomb (a few KB declaring 30,000 × 30,000 pixels) is refused before anything decodes it.
 */
export const MAX_IMAGE_PIXELS = 50_000_000

/** What the bytes must be, whatever the name or the Content-Type claims. */
const acceptedSignatures: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/gif': 'gif',
}

function refuse({ collection, message }: { collection: string; message: string }): never {
  throw new ValidationError({ collection, errors: [{ path: 'file', message }] })
}

/**
 * Every uploaded file, before Payload stores it or makes renditions:
 * - its real signature (magic bytes) must be an accepted image type: the extension and the
 *   Content-Type are ignored, so a PHP script named `.jpg`, an HTML page, SVG or XML is refused;
 * - its declared pixel count must be under MAX_IMAGE_PIXELS, read from the header only;
 * - it must decode completely (a truncated or corrupt image is refused here, not half-processed);
 * - it is stored under a generated name, `<pinyin of the original name>-<random>.<real extension>`,
 *   so `../`, NUL bytes, very long or look-alike names never reach the disk.
 */
export const guardImageUpload: CollectionBeforeOperationHook = async ({
  args,
  collection,
  operation,
  req,
}) => {
  if (operation !== 'create' && operation !== 'update') return args
  const file = req.file
  if (!file) return args
  const slug = collection.slug
  // A file over HTTP arrives streamed to a temporary file (the upload's bytes are never all in
  // memory; `upload.useTempFiles`); one from the Local API (the seed, scripts) as bytes.
  const isOnDisk = Boolean(file.tempFilePath) && (!file.data || file.data.length === 0)
  const data: Buffer | string = isOnDisk ? (file.tempFilePath as string) : file.data
  const size = isOnDisk ? (await stat(data).catch(() => null))?.size : file.data?.length
  if (!data || !size) refuse({ collection: slug, message: '文件是空的 / The file is empty' })

  const detected = await (typeof data === 'string' ? fileTypeFromFile(data) : fileTypeFromBuffer(data)).catch(
    () => undefined,
  )
  const extension = detected ? acceptedSignatures[detected.mime] : undefined
  if (!detected || !extension) {
    refuse({
      collection: slug,
      message: `文件内容不是 JPEG、PNG、WebP、AVIF 或 GIF 图片（检测到：${detected?.mime ?? '未知格式'}）/ The file is not a JPEG, PNG, WebP, AVIF or GIF image`,
    })
  }

  const metadata = await sharp(data, { limitInputPixels: false })
    .metadata()
    .catch(() => refuse({ collection: slug, message: '无法读取图片 / The image cannot be read' }))
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0) * (metadata.pages ?? 1)
  if (pixels > MAX_IMAGE_PIXELS) {
    refuse({
      collection: slug,
      message: `图片像素过大（${metadata.width}×${metadata.height}${metadata.pages && metadata.pages > 1 ? `×${metadata.pages} 帧` : ''}），上限 ${MAX_IMAGE_PIXELS / 1_000_000} 百万像素 / The image is too large in pixels`,
    })
  }
  // It must decode completely, as strictly as the renditions are made (sharp's failOn: 'warning').
  // A new still image is decoded once, here, into the pixels its renditions are made from
  // (renditions.ts); anything else Payload resizes itself, and is checked in full.
  const corrupt = () =>
    refuse({ collection: slug, message: '图片文件已损坏或不完整 / The image is corrupt or truncated' })
  const renditionArgs = await decodeForRenditions({
    args,
    data,
    limitInputPixels: MAX_IMAGE_PIXELS,
    metadata,
    mimeType: detected.mime,
    operation,
    req,
  }).catch(corrupt)
  if (!renditionArgs)
    await sharp(data, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'warning', animated: true })
      .stats()
      .catch(corrupt)

  file.name = generatedName({ original: file.name, extension })
  file.mimetype = detected.mime
  return renditionArgs ?? args
}

function generatedName({ original, extension }: { original: string; extension: string }): string {
  const stem = path.basename(original.replaceAll('\0', '').replaceAll('\\', '/'), path.extname(original))
  const base = pinyinSlug(stem.slice(0, 60)).slice(0, 40).replace(/-+$/, '') || 'image'
  return `${base}-${randomBytes(4).toString('hex')}.${extension}`
}

/** How Payload serves an upload: as what it is, never sniffed, never a page that runs script. */
export function safeMediaHeaders({ headers }: { headers: Headers }): Headers {
  headers.set('X-Content-Type-Options', 'nosniff')
  headers.set('Content-Security-Policy', mediaContentSecurityPolicy)
  headers.set('Cross-Origin-Resource-Policy', 'same-site')
  return headers
}
