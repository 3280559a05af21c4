import { WechatApiError } from './errors.ts'

/** An image to send to WeChat, as the media library holds it. */
export type WechatImage = {
  bytes: Uint8Array
  /** The file's name; WeChat gets an ASCII name with the extension the bytes call for. */
  filename: string
  mimeType: string
}

/** What WeChat takes, by the first bytes of the file. */
export type ImageKind = 'jpg' | 'png' | 'gif' | 'bmp'

/** `uploadimg` (images inside the article): JPG or PNG, 1 MB at most. */
export const BODY_IMAGE = { kinds: ['jpg', 'png'], maxBytes: 1024 * 1024, errcodeTooLarge: 40009 } as const

/** `add_material?type=image` (the cover): BMP, PNG, JPEG or GIF, 10 MB at most. */
export const PERMANENT_IMAGE = {
  kinds: ['jpg', 'png', 'gif', 'bmp'],
  maxBytes: 10 * 1024 * 1024,
  errcodeTooLarge: 40006,
} as const

const MIME: Record<ImageKind, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
}

/**
 * The multipart body WeChat's upload endpoints take (the file in the field `media`), or a
 * WechatApiError with the errcode WeChat would answer (40005 not an image it takes, 40009 or
 * 40006 too large), thrown before anything is sent. The kind comes from the bytes, not from
 * `mimeType` or the name: WeChat looks at both the bytes and the file name's extension, so
 * the name is rewritten to match the bytes.
 */
export function imageForm({
  image,
  endpoint,
  rules,
}: {
  image: WechatImage
  endpoint: string
  rules: typeof BODY_IMAGE | typeof PERMANENT_IMAGE
}): FormData {
  const kind = imageKind({ bytes: image.bytes })
  const allowed: readonly ImageKind[] = rules.kinds
  if (!kind || !allowed.includes(kind)) {
    throw new WechatApiError({
      failure: 'refused',
      errcode: 40005,
      errmsg: `${image.filename} (${image.mimeType}) is ${kind ? `a ${kind.toUpperCase()}` : 'not an image'}; WeChat takes ${allowed.join(', ')} here`,
      endpoint,
    })
  }
  if (image.bytes.byteLength > rules.maxBytes) {
    throw new WechatApiError({
      failure: 'refused',
      errcode: rules.errcodeTooLarge,
      errmsg: `${image.filename} is ${megabytes(image.bytes.byteLength)}; WeChat takes at most ${megabytes(rules.maxBytes)} here`,
      endpoint,
    })
  }
  const form = new FormData()
  // A copy: Blob takes ArrayBuffer-backed bytes only, and the caller's may be a Buffer's view.
  form.append(
    'media',
    new Blob([new Uint8Array(image.bytes)], { type: MIME[kind] }),
    asciiName({ ...image, kind }),
  )
  return form
}

/** The kind of image by its magic number, or undefined when it is none WeChat takes. */
export function imageKind({ bytes }: { bytes: Uint8Array }): ImageKind | undefined {
  const starts = (...magic: number[]) => magic.every((byte, at) => bytes[at] === byte)
  if (starts(0xff, 0xd8, 0xff)) return 'jpg'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png'
  if (starts(0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
    return 'gif'
  if (starts(0x42, 0x4d) && bytes.byteLength > 14) return 'bmp'
  return undefined
}

/** `封面 photo(1).JPEG` → `photo1.jpg`: a name no multipart parser of WeChat's can trip on. */
function asciiName({ filename, kind }: { filename: string; kind: ImageKind }): string {
  const base = filename
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '')
    .slice(0, 60)
  return `${base || 'image'}.${kind}`
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`
}
