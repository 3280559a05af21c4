import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { mediaDir as defaultMediaDir } from '../paths.ts'
import { type ObjectStorageSettings, objectStorageSettings } from './objectStorage.ts'

/**
 * The media library's files (originals and renditions), wherever they are kept: the local
 * media folder (`HONGYAN_MEDIA_DIR`, the one-machine default) or the media bucket
 * (`HONGYAN_S3_BUCKET`, under the key prefix `media/`). Everything that reads or writes
 * image bytes outside Payload's own upload path goes through here, so no caller branches.
 */
export type MediaFiles = {
  kind: 'folder' | 'bucket'
  /** Where the files are, for messages: a folder path or `s3://bucket/media/`. */
  where: string
  /** The file's bytes, or null when there is no such file. */
  read: (args: { filename: string }) => Promise<Buffer | null>
  /** Stores a file from bytes or from a file on disk (streamed, never read whole). */
  write: (args: { filename: string; from: Buffer | { path: string }; contentType: string }) => Promise<void>
  /** Removes a file; one already gone is not an error. */
  remove: (args: { filename: string }) => Promise<void>
  /** Every file, with its size and when it was last written. */
  list: () => Promise<MediaFileEntry[]>
  /**
   * Puts the file at `target` (a hard link from the folder, else a copy; a download from the
   * bucket), whole or not at all. Returns false when there is no such file.
   */
  placeAt: (args: { filename: string; target: string }) => Promise<boolean>
}

export type MediaFileEntry = { name: string; size: number; modifiedMs: number }

/** The key prefix of the media library's objects in the bucket (Payload's storage `prefix`). */
export const MEDIA_KEY_PREFIX = 'media'

/**
 * The media files of this process: the bucket when `HONGYAN_S3_BUCKET` is set, else the
 * folder `mediaDir` (default `HONGYAN_MEDIA_DIR`).
 */
export function mediaFiles({
  mediaDir = defaultMediaDir,
  env = process.env,
}: {
  mediaDir?: string
  env?: Record<string, string | undefined>
} = {}): MediaFiles {
  const settings = objectStorageSettings(env)
  return settings?.mediaBucket
    ? mediaBucket({ settings, bucket: settings.mediaBucket })
    : mediaFolder({ dir: mediaDir })
}

/** A file name as the media library stores it: one path segment, nothing hidden. */
export function isMediaFilename(filename: string): boolean {
  return (
    filename.length > 0 &&
    filename === path.basename(filename) &&
    !filename.startsWith('.') &&
    !filename.includes('\\') &&
    !filename.includes('\0')
  )
}

export function mediaFolder({ dir }: { dir: string }): MediaFiles {
  const at = (filename: string) => {
    if (!isMediaFilename(filename)) throw new Error(`not a media file name: ${JSON.stringify(filename)}`)
    return path.join(dir, filename)
  }
  return {
    kind: 'folder',
    where: dir,
    read: ({ filename }) => readFile(at(filename)).catch(nullWhenMissing),
    write: async ({ filename, from }) => {
      await mkdir(dir, { recursive: true })
      // Under a hidden name, renamed when whole: a reader never sees half a file.
      const temporary = path.join(dir, `.${filename}.${randomUUID().slice(0, 8)}`)
      try {
        if (Buffer.isBuffer(from)) await writeWhole({ target: temporary, bytes: from })
        else await copyFile(from.path, temporary)
        await rename(temporary, at(filename))
      } finally {
        await rm(temporary, { force: true })
      }
    },
    remove: ({ filename }) => unlink(at(filename)).catch(ignoreMissing),
    list: async () => {
      const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return []
        throw err
      })
      const files: MediaFileEntry[] = []
      for (const entry of entries) {
        if (!entry.isFile() || entry.name.startsWith('.')) continue
        const info = await stat(path.join(dir, entry.name)).catch(nullWhenMissing)
        if (info) files.push({ name: entry.name, size: info.size, modifiedMs: info.mtimeMs })
      }
      return files
    },
    placeAt: async ({ filename, target }) => {
      const source = at(filename)
      try {
        await link(source, target)
        return true
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'ENOENT') return false
        if (code !== 'EXDEV' && code !== 'EPERM') throw err
      }
      // Across file systems: copied under a hidden name, then renamed (readers see it whole).
      const temporary = path.join(
        path.dirname(target),
        `.${path.basename(target)}.${randomUUID().slice(0, 8)}`,
      )
      try {
        await copyFile(source, temporary)
        await rename(temporary, target)
        return true
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
        throw err
      } finally {
        await rm(temporary, { force: true })
      }
    },
  }
}

export function mediaBucket({
  settings,
  bucket,
  prefix = MEDIA_KEY_PREFIX,
}: {
  settings: ObjectStorageSettings
  bucket: string
  prefix?: string
}): MediaFiles {
  const client = s3Client({ settings })
  const key = (filename: string) => {
    if (!isMediaFilename(filename)) throw new Error(`not a media file name: ${JSON.stringify(filename)}`)
    return prefix ? `${prefix}/${filename}` : filename
  }
  const get = async (filename: string) => {
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(filename) }))
    } catch (err) {
      if (isNotFound(err)) return null
      throw err
    }
  }
  return {
    kind: 'bucket',
    where: `s3://${bucket}/${prefix ? `${prefix}/` : ''}`,
    read: async ({ filename }) => {
      const object = await get(filename)
      if (!object?.Body) return null
      return Buffer.from(await object.Body.transformToByteArray())
    },
    write: async ({ filename, from, contentType }) => {
      // A file on disk goes up as a stream of known length: its bytes are never all in memory.
      const body = Buffer.isBuffer(from) ? from : createReadStream(from.path)
      const length = Buffer.isBuffer(from) ? from.length : (await stat(from.path)).size
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key(filename),
          Body: body,
          ContentLength: length,
          ContentType: contentType,
        }),
      )
    },
    remove: async ({ filename }) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key(filename) }))
    },
    list: async () => {
      const files: MediaFileEntry[] = []
      const listed = prefix ? `${prefix}/` : ''
      let token: string | undefined
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: listed, ContinuationToken: token }),
        )
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(listed.length)
          if (!name || !isMediaFilename(name)) continue
          files.push({ name, size: object.Size ?? 0, modifiedMs: object.LastModified?.getTime() ?? 0 })
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token)
      return files
    },
    placeAt: async ({ filename, target }) => {
      const object = await get(filename)
      if (!object?.Body) return false
      const temporary = path.join(
        path.dirname(target),
        `.${path.basename(target)}.${randomUUID().slice(0, 8)}`,
      )
      try {
        await pipeline(object.Body as Readable, createWriteStream(temporary, { flags: 'wx' }))
        await rename(temporary, target)
        return true
      } finally {
        await rm(temporary, { force: true })
      }
    },
  }
}

const clients = new Map<string, S3Client>()

/** One S3 client per endpoint and key (its connections are kept alive and reused). */
export function s3Client({ settings }: { settings: ObjectStorageSettings }): S3Client {
  const credentials = settings.client.credentials as { accessKeyId?: string } | undefined
  const cacheKey = JSON.stringify([
    settings.client.endpoint,
    settings.client.region,
    settings.client.forcePathStyle,
    credentials?.accessKeyId,
  ])
  let client = clients.get(cacheKey)
  if (!client) {
    client = new S3Client(settings.client)
    clients.set(cacheKey, client)
  }
  return client
}

function isNotFound(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const { name, $metadata } = err as { name?: string; $metadata?: { httpStatusCode?: number } }
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404
}

function nullWhenMissing(err: NodeJS.ErrnoException): null {
  if (err.code === 'ENOENT') return null
  throw err
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}

async function writeWhole({ target, bytes }: { target: string; bytes: Buffer }): Promise<void> {
  await pipeline(Readable.from([bytes]), createWriteStream(target, { flags: 'wx' }))
}
