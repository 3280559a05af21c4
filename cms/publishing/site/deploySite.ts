import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import pLimit from 'p-limit'
import type { Payload } from 'payload'
import { type SiteBucket, s3ClientConfig } from '../../lib/objectStorage.ts'
import { type DeployedObject, deployedObjects, recordDeployed, recordPurged } from './deployedObjects.ts'
import { cacheControlOf, contentTypeOf, isCompressible, type SiteObject, siteObjects } from './siteObjects.ts'

export interface SiteDeployResult {
  /** Objects uploaded (new or changed), and their bytes as sent (text gzipped). */
  uploaded: number
  bytesUploaded: number
  deleted: number
  /** Objects the bucket already held with the same bytes. */
  unchanged: number
  /** Site paths the CDN was told to forget (changed or gone), this deploy's and any a failed one left. */
  purged: string[]
  durationMs: number
}

/** Requests to the bucket at once. */
const REQUESTS_IN_FLIGHT = 16
/** Uploads recorded in Postgres at a time (and whatever is done when a deploy fails). */
const RECORD_BATCH = 100

/**
 * Deploys a finished build to the site bucket: only the objects whose sha256 differs from what
 * the bucket holds (kept in Postgres, see deployedObjects.ts) are uploaded, with their
 * Content-Type and Cache-Control; objects the build no longer has are deleted. The order keeps
 * every link a reader can follow working: assets and media first, then the pages new to the
 * bucket, then the changed story pages and lists that link to them, and deletions last, once
 * nothing links to what goes. Each step is recorded as it is done, so a deploy that fails is
 * resumed by the next without uploading anything twice. `onChanged` hears every site path that
 * changed (the CDN purge), and only then are those changes settled.
 */
export async function deploySite({
  payload,
  bucket,
  buildDir,
  onChanged,
}: {
  payload: Payload
  bucket: SiteBucket
  buildDir: string
  onChanged?: (paths: string[]) => Promise<void>
}): Promise<SiteDeployResult> {
  const startedAt = Date.now()
  const target = targetOf(bucket)
  const client = new S3Client(s3ClientConfig(bucket.client))
  try {
    const objects = await siteObjects({ buildDir })
    const deployed = await deployedObjects({ payload, target })
    const changed = objects.filter((object) => deployed.get(object.key)?.sha256 !== object.sha256)
    const present = new Set(objects.map((object) => object.key))
    const gone = [...deployed.values()].filter((row) => row.sha256 !== null && !present.has(row.key))
    const send = { payload, target, client, bucket }
    let bytesUploaded = 0
    for (const step of uploadSteps({ changed, deployed }))
      bytesUploaded += await uploadAll({ ...send, objects: step })
    await deleteAll({ ...send, keys: gone.map((row) => row.key) })

    const unsettled = [...(await deployedObjects({ payload, target })).values()].filter(
      (row) => row.needsPurge,
    )
    const purged = unsettled.flatMap((row) => sitePathsOf(row.key))
    if (onChanged && purged.length > 0) await onChanged(purged)
    await recordPurged({ payload, target, keys: unsettled.map((row) => row.key) })
    return {
      uploaded: changed.length,
      bytesUploaded,
      deleted: gone.length,
      unchanged: objects.length - changed.length,
      purged,
      durationMs: Date.now() - startedAt,
    }
  } finally {
    client.destroy()
  }
}

/** The bucket as Postgres names it: one deployed state per endpoint, bucket and prefix. */
export function targetOf(bucket: SiteBucket): string {
  const endpoint = typeof bucket.client.endpoint === 'string' ? bucket.client.endpoint : 'aws'
  return `${endpoint}|${bucket.bucket}/${bucket.prefix}`
}

/** The site paths a key is read at: `stories/x/index.html` is also `/stories/x/`. */
export function sitePathsOf(key: string): string[] {
  const file = `/${key}`
  return file.endsWith('/index.html') ? [file.slice(0, -'index.html'.length), file] : [file]
}

/** Pages, lists, feeds, sitemaps, robots.txt: what links to other objects. */
const isLinking = (key: string) => /\.(html|xml)$/.test(key) || key === 'feed.json' || key === 'robots.txt'
const isStoryPage = (key: string) => key.startsWith('stories/') && key.endsWith('.html')

/**
 * The changed objects in the order they go up, each step finished before the next starts:
 * what pages show (assets, media); pages new to the bucket, story pages first (a new story, a
 * story's former address as a redirect page, a new tag's or person's list); then the story
 * pages already there, which may now link to a new list; then the lists, feeds and sitemaps
 * already there, which now link to the new pages.
 */
function uploadSteps({
  changed,
  deployed,
}: {
  changed: SiteObject[]
  deployed: Map<string, DeployedObject>
}): SiteObject[][] {
  const isNew = (object: SiteObject) => !deployed.get(object.key)?.sha256
  const assets = changed.filter((object) => !isLinking(object.key))
  const pages = changed.filter((object) => isLinking(object.key))
  const isStory = (object: SiteObject) => isStoryPage(object.key)
  const newPages = pages.filter(isNew)
  const changedPages = pages.filter((object) => !isNew(object))
  return [
    assets,
    newPages.filter(isStory),
    newPages.filter((object) => !isStory(object)),
    changedPages.filter(isStory),
    changedPages.filter((object) => !isStory(object)),
  ].filter((step) => step.length > 0)
}

type Sender = { payload: Payload; target: string; client: S3Client; bucket: SiteBucket }

const objectKey = (bucket: SiteBucket, key: string) => (bucket.prefix ? `${bucket.prefix}/${key}` : key)

/** Uploads the objects, recording each in Postgres as it lands; returns the bytes sent. */
async function uploadAll({ objects, ...sender }: Sender & { objects: SiteObject[] }): Promise<number> {
  let bytes = 0
  await eachRecorded({
    ...sender,
    items: objects,
    send: async (object) => {
      bytes += await uploadOne({ ...sender, object })
      return { key: object.key, sha256: object.sha256 }
    },
  })
  return bytes
}

async function uploadOne({ client, bucket, object }: Sender & { object: SiteObject }): Promise<number> {
  const isGzipped = isCompressible(object.key)
  // Text is small (a page, a feed): zipped whole. Anything else (a 25 MB image) is streamed.
  const body = isGzipped ? await gzipAsync(await readFile(object.file), { level: 9 }) : null
  await new Upload({
    client,
    params: {
      Bucket: bucket.bucket,
      Key: objectKey(bucket, object.key),
      Body: body ?? createReadStream(object.file),
      ContentType: contentTypeOf(object.key),
      CacheControl: cacheControlOf(object.key),
      ...(isGzipped ? { ContentEncoding: 'gzip' } : { ContentLength: object.bytes }),
    },
  }).done()
  return body?.length ?? object.bytes
}

const gzipAsync = promisify(gzip)

/** Deletes the objects (one request each, so a failure names its key), recording each as it goes. */
async function deleteAll({ keys, ...sender }: Sender & { keys: string[] }): Promise<void> {
  await eachRecorded({
    ...sender,
    items: keys,
    send: async (key) => {
      await sender.client.send(
        new DeleteObjectCommand({ Bucket: sender.bucket.bucket, Key: objectKey(sender.bucket, key) }),
      )
      return { key, sha256: null }
    },
  })
}

/**
 * Sends each item (a few at once) and records what landed in Postgres, a batch at a time. On
 * the first failure nothing new starts; the requests under way finish and are recorded, then
 * the failure is thrown: the next deploy starts from exactly what the bucket holds.
 */
async function eachRecorded<T>({
  payload,
  target,
  items,
  send,
}: Sender & { items: T[]; send: (item: T) => Promise<{ key: string; sha256: string | null }> }) {
  const limit = pLimit(REQUESTS_IN_FLIGHT)
  let pending: { key: string; sha256: string | null }[] = []
  const flush = async () => {
    const batch = pending
    pending = []
    await recordDeployed({ payload, target, objects: batch })
  }
  // Not `limit.clearQueue()`: p-limit leaves a cleared task's promise pending for ever, so the
  // deploy would never settle. Every queued task runs, and returns at once after a failure.
  let hasFailed = false
  const results = await Promise.allSettled(
    items.map((item) =>
      limit(async () => {
        if (hasFailed) return
        try {
          pending.push(await send(item))
          if (pending.length >= RECORD_BATCH) await flush()
        } catch (err) {
          hasFailed = true
          throw err
        }
      }),
    ),
  )
  await flush()
  const failure = results.find((result) => result.status === 'rejected')
  if (failure) throw failure.reason
}
