import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileTypeFromBuffer } from 'file-type'
import {
  type CollectionAfterChangeHook,
  type CollectionBeforeChangeHook,
  type CollectionBeforeOperationHook,
  type FileSize,
  FileUploadError,
  type ImageSize,
  type PayloadRequest,
} from 'payload'
import sharp, { type Metadata } from 'sharp'

/**
 * Renditions of a new upload, decoded once.
 *
 * Payload makes each image size from the original (`createImageSizes`): every size decodes the
 * whole upload again (the focal-point crop twice), so a 12 MP JPEG was decoded six times for
 * five renditions. Here a new still image is decoded once, oriented by its EXIF tag and shrunk
 * on load to the size the largest rendition needs, and every rendition is resized and encoded
 * from those pixels, all at once. The sizes are the collection's `imageSizes`, made as Payload
 * makes them: same names, widths, formats and options, the same focal-point crop, the same
 * file names and `sizes` data. Payload is told to make none itself for that request.
 *
 * With the media on object storage the renditions' bytes are handed on in
 * `req.payloadUploadSizes`, where the bucket upload (storeUploadInBucket) takes them.
 *
 * Anything else (an update, an admin crop, a GIF or an animated image, a size using options
 * this does not handle) is left to Payload's own pipeline.
 */

type Pixels = { data: Buffer; width: number; height: number; channels: 1 | 2 | 3 | 4 }
type Source = {
  pixels: Pixels
  /** The original's width and height as shown, after its EXIF orientation. */
  width: number
  height: number
  sizes: ImageSize[]
  staticDir: string
  /** The files go to the bucket (the storage plugin's upload hook), not to `staticDir`. */
  isStoredElsewhere: boolean
}
type RenditionFile = { name: string; buffer: Buffer; path: string }

/** Decoded in beforeOperation (the upload guard), rendered in beforeChange. */
const sources = new WeakMap<PayloadRequest, Source>()
/** Rendered in beforeChange, written in afterChange once the row is in. */
const pending = new WeakMap<PayloadRequest, RenditionFile[]>()

/** The image types decoded once; GIF (possibly animated) goes through Payload's pipeline. */
const stillTypes = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif'])
/** The image-size options handled here; a size with any other goes through Payload's pipeline. */
const handledOptions = new Set(['name', 'width', 'height', 'formatOptions', 'position'])

type OperationArgs = Parameters<CollectionBeforeOperationHook>[0]['args']

/**
 * For a new still image, the one strict decode (sharp's `failOn: 'warning'`, as Payload's
 * own): returns the operation's arguments with Payload's image sizes turned off for this
 * request, the renditions being made from these pixels by `makeRenditions`. Returns undefined
 * when Payload's pipeline makes them instead; the caller then checks the image decodes.
 * Throws if the image does not decode.
 */
export async function decodeForRenditions({
  args,
  data,
  limitInputPixels,
  metadata,
  mimeType,
  operation,
  req,
}: {
  args: OperationArgs
  /** The upload's bytes, or the temporary file they were streamed to. */
  data: Buffer | string
  limitInputPixels: number
  metadata: Metadata
  mimeType: string
  operation: string
  req: PayloadRequest
}): Promise<OperationArgs | undefined> {
  const config = args.collection?.config
  const upload = config?.upload
  const sizes = upload?.imageSizes
  if (
    operation !== 'create' ||
    ('duplicateFromID' in args && args.duplicateFromID != null) ||
    !upload ||
    !upload.staticDir ||
    !sizes?.length ||
    !sizes.every(isHandled) ||
    upload.resizeOptions ||
    upload.formatOptions ||
    upload.trimOptions ||
    upload.constructorOptions ||
    upload.withMetadata ||
    upload.focalPoint === false ||
    !req.payload.config.sharp ||
    !stillTypes.has(mimeType) ||
    (metadata.pages ?? 1) > 1 ||
    hasCropEdits(req)
  )
    return undefined
  const width = metadata.autoOrient?.width ?? metadata.width
  const height = metadata.autoOrient?.height ?? metadata.height
  if (!width || !height) return undefined
  // Wide enough for every rendition: a width, or a crop covering width × height.
  const needed = Math.min(
    width,
    Math.max(
      ...sizes.map((size) =>
        size.height
          ? Math.max(size.width as number, Math.ceil((size.height * width) / height))
          : (size.width as number),
      ),
    ),
  )
  let pipeline = sharp(data, { failOn: 'warning', limitInputPixels }).autoOrient()
  if (needed < width) pipeline = pipeline.resize({ width: needed })
  const { data: pixels, info } = await pipeline.raw().toBuffer({ resolveWithObject: true })
  sources.set(req, {
    pixels: { data: pixels, width: info.width, height: info.height, channels: info.channels },
    width,
    height,
    sizes,
    staticDir: upload.staticDir,
    isStoredElsewhere: Boolean(upload.disableLocalStorage),
  })
  return {
    ...args,
    collection: { ...args.collection, config: { ...config, upload: { ...upload, imageSizes: [] } } },
  }
}

/** Every rendition of the upload decoded by `decodeForRenditions`, into `data.sizes`. */
export const makeRenditions: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  const source = sources.get(req)
  if (!source || operation !== 'create') return data
  sources.delete(req)
  const filename = data.filename
  const sizesMadeByPayload = Object.values((data.sizes ?? {}) as Record<string, FileSize | undefined>).some(
    (size) => size?.filename,
  )
  if (typeof filename !== 'string' || sizesMadeByPayload) return data
  const focal = { x: numberOr(data.focalX, 50), y: numberOr(data.focalY, 50) }
  try {
    const made = await Promise.all(
      source.sizes.map((size) => render({ size, source, focal, filename: String(filename) })),
    )
    const sizes: Record<string, FileSize> = {}
    const files: RenditionFile[] = []
    for (const [index, size] of source.sizes.entries()) {
      const rendition = made[index]
      sizes[size.name] = rendition?.size ?? emptySize
      if (rendition) files.push(rendition.file)
    }
    if (!source.isStoredElsewhere) pending.set(req, files)
    req.payloadUploadSizes = Object.fromEntries(files.map((file) => [file.name, file.buffer]))
    return { ...data, sizes }
  } catch (err) {
    req.payload.logger.error(err)
    throw new FileUploadError(req.t)
  }
}

/** The renditions' files, written once the media row is in (as Payload writes its own sizes). */
export const writeRenditions: CollectionAfterChangeHook = async ({ doc, req }) => {
  const files = pending.get(req)
  if (!files) return doc
  pending.delete(req)
  try {
    await Promise.all(files.map((file) => writeFile(file.path, file.buffer)))
  } catch (err) {
    req.payload.logger.error(err)
    throw new FileUploadError(req.t)
  }
  return doc
}

const emptySize: FileSize = {
  filename: null,
  filesize: null,
  height: null,
  mimeType: null,
  url: null,
  width: null,
}

/**
 * One rendition, or null where Payload makes none (an image narrower than a width-only size,
 * or smaller both ways than a crop). Widths and crops follow Payload's `createImageSizes`: the
 * height of a width-only size keeps the original's aspect; a crop scales the image to cover it
 * and cuts it out around the focal point (percentages), kept inside the image.
 */
async function render({
  size,
  source,
  focal,
  filename,
}: {
  size: ImageSize
  source: Source
  focal: { x: number; y: number }
  filename: string
}): Promise<{ size: FileSize; file: RenditionFile } | null> {
  const { width, height, pixels } = source
  const targetWidth = size.width as number
  const targetHeight = size.height
  if (targetHeight ? width < targetWidth && height < targetHeight : width < targetWidth) return null
  let scaled: { width: number; height: number }
  if (targetHeight) {
    const fitsHeight = targetWidth / targetHeight < width / height
    scaled = fitsHeight
      ? { width: Math.round((width * targetHeight) / height), height: targetHeight }
      : { width: targetWidth, height: Math.round((height * targetWidth) / width) }
  } else {
    scaled = { width: targetWidth, height: Math.round((height * targetWidth) / width) }
  }
  let image = sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: pixels.channels },
  })
  if (scaled.width !== pixels.width || scaled.height !== pixels.height)
    image = image.resize({ ...scaled, fit: 'fill' })
  if (targetHeight) {
    const left = cropStart({ length: scaled.width, crop: targetWidth, focus: focal.x })
    const top = cropStart({ length: scaled.height, crop: targetHeight, focus: focal.y })
    image = image.extract({ left, top, width: targetWidth, height: targetHeight })
  }
  if (size.formatOptions) image = image.toFormat(size.formatOptions.format, size.formatOptions.options)
  const { data, info } = await image.toBuffer({ resolveWithObject: true })
  const type = await fileTypeFromBuffer(data)
  const stem = filename.substring(0, filename.lastIndexOf('.')) || filename
  const name = `${stem}-${info.width}x${info.height}.${type?.ext ?? info.format}`
  return {
    size: {
      filename: name,
      filesize: info.size,
      height: info.height,
      mimeType: type?.mime ?? `image/${info.format}`,
      url: null,
      width: info.width,
    },
    file: { name: size.name, buffer: data, path: path.join(source.staticDir, name) },
  }
}

/** Where a crop of `crop` pixels starts along `length`, centred on `focus` % but inside the image. */
function cropStart({ length, crop, focus }: { length: number; crop: number; focus: number }): number {
  const centre = length * (focus / 100)
  let start = centre - crop / 2
  if (centre + crop / 2 > length) start = length - crop
  return Math.floor(Math.max(0, start))
}

function isHandled(size: ImageSize): boolean {
  return (
    typeof size.width === 'number' &&
    (size.height === undefined || typeof size.height === 'number') &&
    Boolean(size.formatOptions) &&
    Object.keys(size).every((key) => handledOptions.has(key))
  )
}

/** An admin crop arrives as `uploadEdits` in the query; Payload crops before it resizes. */
function hasCropEdits(req: PayloadRequest): boolean {
  const edits = req.query?.uploadEdits
  if (!edits || typeof edits !== 'object') return false
  const { crop, heightInPixels, widthInPixels } = edits as Record<string, unknown>
  return Boolean(crop || heightInPixels || widthInPixels)
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback
}
