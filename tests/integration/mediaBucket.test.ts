import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { connectClient } from '../../cms/db/connectClient.ts'
import { dropDatabase, ensureDatabase } from '../../cms/db/ensureDatabase.ts'
import { mediaBucket } from '../../cms/lib/mediaFiles.ts'
import { objectStorageSettings } from '../../cms/lib/objectStorage.ts'
import { createBackup } from '../../cms/ops/backup/createBackup.ts'
import { restoreBackup } from '../../cms/ops/backup/restoreBackup.ts'
import { sweepOrphanMedia } from '../../cms/ops/sweepOrphanMedia.ts'
import type { ColumnIssue, Media, Story, TvEpisode } from '../../cms/payload-types.ts'
import { exportColumnIssue } from '../../cms/publishing/print/exportColumnIssue.ts'
import { shareMedia } from '../../cms/publishing/site/sharedMedia.ts'
import { exportTvEpisode } from '../../cms/publishing/tv/exportTvEpisode.ts'
import { exportWechatArticle } from '../../cms/publishing/wechat/exportWechat.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { type S3FaultProxy, startS3FaultProxy } from '../helpers/s3FaultProxy.ts'
import { startS3Server, type TestS3Server } from '../helpers/s3Server.ts'
import { createStaff } from '../helpers/staff.ts'
import { databaseUrlFor, startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * The media library on object storage: the kitchen runs with HONGYAN_S3_BUCKET against a real
 * S3-protocol server (s3rver, tests/helpers/s3Server.ts) through a proxy that can refuse
 * requests; every check reads the bucket through the server itself. The local-folder default
 * keeps its own tests (media, columnExport, tvExport, wechat, backup, crashes).
 */

const MEDIA_BUCKET = 'hongyan-media'
const RESTORED_BUCKET = 'hongyan-media-restored'

let s3: TestS3Server
let proxy: S3FaultProxy
let direct: S3Client
let kitchen: TestKitchen
let payload: Payload
let editorToken = ''
let work: string
/** A media folder nothing is ever written to: what reads bytes must go to the bucket. */
let noFolder: string
/**
 * Where uploads over HTTP are streamed to (HONGYAN_UPLOAD_TEMP_DIR), empty again after each:
 * set before any module is imported, cms/paths.ts reading it on import.
 */
const uploadTemp = vi.hoisted(() => {
  const fs = process.getBuiltinModule('node:fs')
  const os = process.getBuiltinModule('node:os')
  const path = process.getBuiltinModule('node:path')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hongyan-bucket-uploads-'))
  process.env.HONGYAN_UPLOAD_TEMP_DIR = dir
  return dir
})

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'hongyan-bucket-test-'))
  noFolder = path.join(work, 'no-media-folder')
  s3 = await startS3Server({ buckets: [MEDIA_BUCKET, RESTORED_BUCKET] })
  proxy = await startS3FaultProxy({ target: s3.endpoint })
  const { HONGYAN_SITE_BUCKET: _site, ...env } = s3.env
  Object.assign(process.env, env, {
    HONGYAN_S3_BUCKET: MEDIA_BUCKET,
    HONGYAN_S3_ENDPOINT: proxy.endpoint,
  })
  direct = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: {
      accessKeyId: env.HONGYAN_S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.HONGYAN_S3_SECRET_ACCESS_KEY ?? '',
    },
  })
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  await seedDemoContent({ payload, now: new Date('2026-11-20T02:00:00Z'), adminPassword: 'demo-password-1' })
  const staff = await createStaff({ payload, domain: 'bucket.test', roles: ['editor'] })
  editorToken = staff.tokens.editor
}, 180_000)

afterAll(async () => {
  await kitchen?.cleanup()
  await proxy?.stop()
  await s3?.stop()
  if (work) await rm(work, { recursive: true, force: true })
  await rm(uploadTemp, { recursive: true, force: true })
})

/** Every object of `bucket` with its sha256, read through the S3 server itself. */
async function objects(bucket = MEDIA_BUCKET): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  let token: string | undefined
  do {
    const page = await direct.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? ''
      found.set(
        key,
        createHash('sha256')
          .update(await objectBytes({ bucket, key }))
          .digest('hex'),
      )
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (token)
  return found
}

async function objectBytes({
  bucket = MEDIA_BUCKET,
  key,
}: {
  bucket?: string
  key: string
}): Promise<Buffer> {
  const object = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  return Buffer.from(
    await (object.Body as { transformToByteArray: () => Promise<Uint8Array> }).transformToByteArray(),
  )
}

/** The object keys a media row names: its file and every rendition made. */
function keysOf(doc: Media): string[] {
  const names = [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)]
  return names.filter((name): name is string => Boolean(name)).map((name) => `media/${name}`)
}

async function allMedia(): Promise<Media[]> {
  return (await payload.find({ collection: collectionSlugs.media, pagination: false, depth: 0 }))
    .docs as Media[]
}

async function upload({ bytes, alt }: { bytes: Buffer; alt: string }): Promise<Response> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), '车间.jpg')
  form.append('_payload', JSON.stringify({ alt }))
  return kitchen.api.rest.POST(
    new Request('http://localhost/api/media', {
      method: 'POST',
      headers: { authorization: `JWT ${editorToken}` },
      body: form,
    }),
    { params: Promise.resolve({ slug: ['media'] }) },
  )
}

async function serveFile({ filename, token }: { filename: string; token?: string }): Promise<Response> {
  return kitchen.api.rest.GET(
    new Request(`http://localhost/api/media/file/${encodeURIComponent(filename)}`, {
      headers: token ? { authorization: `JWT ${token}` } : {},
    }),
    { params: Promise.resolve({ slug: ['media', 'file', filename] }) },
  )
}

describe('uploads into the bucket', () => {
  it("puts the seed's demo images and every rendition in the bucket, nothing in the media folder", async () => {
    const media = await allMedia()
    expect(media.length).toBeGreaterThan(0)
    const stored = await objects()
    const wanted = media.flatMap(keysOf)
    expect(wanted.length).toBeGreaterThan(media.length)
    expect([...stored.keys()].sort()).toEqual(expect.arrayContaining(wanted.sort()))
    const local = existsSync(kitchen.mediaDir) ? await readdir(kitchen.mediaDir) : []
    expect(local).toEqual([])
  })

  it('stores an upload over REST as the original and its five renditions, each once, the original byte for byte', async () => {
    const bytes = await noisyJpeg({ width: 2400, height: 1600, sigma: 40, quality: 85 })
    const before = await objects()
    const response = await upload({ bytes, alt: '车间里的焊工' })
    expect(response.status).toBe(201)
    const doc = ((await response.json()) as { doc: Media }).doc
    const keys = keysOf(doc)
    expect(keys).toHaveLength(6)
    const after = await objects()
    expect([...after.keys()].filter((key) => !before.has(key)).sort()).toEqual([...keys].sort())
    expect(await objectBytes({ key: `media/${doc.filename}` })).toEqual(bytes)
    for (const [name, size] of Object.entries(doc.sizes ?? {})) {
      const metadata = await sharp(await objectBytes({ key: `media/${size?.filename}` })).metadata()
      expect({ width: metadata.width, height: metadata.height }, name).toEqual({
        width: size?.width,
        height: size?.height,
      })
    }
    // Saved once: the adapter's own second save (its metadata) would audit the upload twice.
    const audit = await payload.find({
      collection: collectionSlugs.auditLog,
      where: { and: [{ collection: { equals: 'media' } }, { docId: { equals: String(doc.id) } }] },
      overrideAccess: true,
    })
    expect(audit.totalDocs).toBe(1)
    expect(await readdir(uploadTemp)).toEqual([])
  })
})

describe('remaking renditions from the bucket', () => {
  it('remakes every rendition from the original in the bucket for a new focal point, and removes the old objects', async () => {
    const response = await upload({
      bytes: await noisyJpeg({ width: 2000, height: 1500, sigma: 40, quality: 85 }),
      alt: '重新对焦',
    })
    const doc = ((await response.json()) as { doc: Media }).doc
    const before = await objects()
    const refocused = await kitchen.api.rest.PATCH(
      new Request(
        `http://localhost/api/media/${doc.id}?uploadEdits[focalPoint][x]=30&uploadEdits[focalPoint][y]=70`,
        {
          method: 'PATCH',
          headers: { authorization: `JWT ${editorToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ alt: '重新对焦' }),
        },
      ),
      { params: Promise.resolve({ slug: ['media', String(doc.id)] }) },
    )
    expect(refocused.status).toBe(200)
    const remade = ((await refocused.json()) as { doc: Media }).doc
    expect(remade.focalX).toBe(30)
    const after = await objects()
    for (const key of keysOf(doc)) expect(after.has(key), key).toBe(false)
    for (const key of keysOf(remade)) expect(after.has(key), key).toBe(true)
    expect(after.size).toBe(before.size)
    // The same picture: the original's bytes are kept, only its name is new.
    expect(after.get(`media/${remade.filename}`)).toBe(before.get(`media/${doc.filename}`))
  })
})

describe('serving from the bucket', () => {
  it('streams a file to staff under the read rule, and to no one without an account', async () => {
    const [doc] = await allMedia()
    const filename = doc?.sizes?.card?.filename ?? ''
    const served = await serveFile({ filename, token: editorToken })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/webp')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await served.arrayBuffer())).toEqual(await objectBytes({ key: `media/${filename}` }))
    const anonymous = await serveFile({ filename })
    expect(anonymous.status).toBe(403)
    // A name no media row has is refused by the read rule before the bucket is asked, as from the folder.
    const unnamed = await serveFile({ filename: 'no-such-file-0000.jpg', token: editorToken })
    expect(unnamed.status).toBe(403)
  })
})

describe('what reads image bytes reads them from the bucket', () => {
  it('makes the print, TV and WeChat packages from the objects (no media folder at all)', async () => {
    const issue = (
      await payload.find({ collection: collectionSlugs.columnIssues, depth: 0, context: { skipFit: true } })
    ).docs[0] as ColumnIssue
    const print = await exportColumnIssue({ payload, issue: issue.id, outDir: work, mediaDir: noFolder })
    const printImages = print.files.filter((file) => file.startsWith('images/') && file.endsWith('.jpg'))
    expect(printImages.length).toBeGreaterThan(0)
    for (const file of printImages)
      expect((await sharp(path.join(print.dir, file)).metadata()).density, file).toBe(300)

    const episode = (
      await payload.find({ collection: collectionSlugs.tvEpisodes, depth: 0, context: { skipFit: true } })
    ).docs[0] as TvEpisode
    const tv = await exportTvEpisode({ payload, episode: episode.id, outDir: work, mediaDir: noFolder })
    const stills = tv.files.filter((file) => file.endsWith('.jpg'))
    expect(stills.length).toBeGreaterThan(0)
    for (const file of stills) {
      const { width, height } = await sharp(path.join(tv.dir, file)).metadata()
      expect({ width, height }, file).toEqual({ width: 1920, height: 1080 })
    }

    const story = (
      await payload.find({
        collection: collectionSlugs.stories,
        where: { and: [{ heroImage: { exists: true } }, { stage: { equals: 'published' } }] },
        depth: 0,
        limit: 1,
      })
    ).docs[0] as Story
    const wechat = await exportWechatArticle({ payload, story: story.id, outDir: work, mediaDir: noFolder })
    expect(wechat.files).toEqual(expect.arrayContaining(['images/cover-2.35x1.jpg', 'images/cover-1x1.jpg']))
    expect((await sharp(path.join(wechat.dir, 'images/cover-2.35x1.jpg')).metadata()).format).toBe('jpeg')
    expect(existsSync(noFolder)).toBe(false)
  })

  it("gives the site build the published stories' images from the bucket, byte for byte", async () => {
    const [doc] = await allMedia()
    const names = [doc?.filename ?? '', doc?.sizes?.hero?.filename ?? '']
    const distDir = path.join(work, 'dist')
    const buildDir = path.join(distDir, 'build-1')
    const missing: string[] = []
    await mkdir(buildDir, { recursive: true })
    await shareMedia({
      distDir,
      files: new Set([...names, 'gone-0000.jpg']),
      from: noFolder,
      buildDir,
      onMissing: (file) => missing.push(file),
    })
    for (const name of names)
      expect(await readFile(path.join(buildDir, 'media', name)), name).toEqual(
        await objectBytes({ key: `media/${name}` }),
      )
    expect(missing).toEqual([`s3://${MEDIA_BUCKET}/media/gone-0000.jpg`])
  })
})

describe('backups with the media in the bucket', () => {
  it('archives every object with its checksum and restores them into an empty bucket, refusing a filled one', async () => {
    const stored = await objects()
    const { archive, manifest } = await createBackup({
      databaseUrl: kitchen.databaseUrl,
      mediaDir: noFolder,
      out: path.join(work, 'backups/'),
    })
    const archived = new Map(
      manifest.files
        .filter((file) => file.path.startsWith('media/'))
        .map((file) => [file.path, file.sha256] as const),
    )
    expect(archived).toEqual(stored)

    const settings = objectStorageSettings({ ...process.env, HONGYAN_S3_ENDPOINT: s3.endpoint })
    if (!settings) throw new Error('no object storage settings')
    const restored = mediaBucket({ settings, bucket: RESTORED_BUCKET })
    const target = databaseUrlFor({ name: `hongyan_bucket_restore_${Date.now()}` })
    await ensureDatabase({ url: target })
    try {
      await restoreBackup({
        archive,
        databaseUrl: target,
        mediaDir: path.join(work, 'restore', 'media'),
        bucket: restored,
      })
      expect(await objects(RESTORED_BUCKET)).toEqual(stored)
      const client = await connectClient({ url: target })
      try {
        const { rows } = await client.query<{ count: string }>('select count(*) from media')
        expect(Number(rows[0]?.count)).toBe((await allMedia()).length)
      } finally {
        await client.end()
      }
      const again = databaseUrlFor({ name: `hongyan_bucket_again_${Date.now()}` })
      await ensureDatabase({ url: again })
      try {
        await expect(
          restoreBackup({
            archive,
            databaseUrl: again,
            mediaDir: path.join(work, 'again', 'media'),
            bucket: restored,
          }),
        ).rejects.toThrow(`the media bucket s3://${RESTORED_BUCKET}/media/ is not empty`)
      } finally {
        await dropDatabase({ url: again })
      }
    } finally {
      await dropDatabase({ url: target })
    }
  })
})

describe('a failed upload leaves no object', () => {
  it('writes nothing when the database refuses the media row', async () => {
    const before = await objects()
    const client = await connectClient({ url: kitchen.databaseUrl })
    try {
      await client.query(`alter table media add constraint test_refused_alt check (alt <> '拒收')`)
      const response = await upload({
        bytes: await noisyJpeg({ width: 1800, height: 1200, sigma: 40, quality: 85 }),
        alt: '拒收',
      })
      expect(response.status).toBeGreaterThanOrEqual(400)
    } finally {
      await client.query('alter table media drop constraint test_refused_alt')
      await client.end()
    }
    expect(await objects()).toEqual(before)
    expect((await allMedia()).some((doc) => doc.alt === '拒收')).toBe(false)
  })

  it('removes the objects already written when one rendition is refused by the bucket', async () => {
    const before = await objects()
    const refused: string[] = []
    proxy.refuse(({ method, path: key }) => {
      const isCard = method === 'PUT' && /-768x512\.webp$/.test(key)
      if (isCard) refused.push(key)
      return isCard
    })
    try {
      const response = await upload({
        bytes: await noisyJpeg({ width: 2400, height: 1600, sigma: 40, quality: 85 }),
        alt: '半途而废',
      })
      expect(response.status).toBeGreaterThanOrEqual(400)
    } finally {
      proxy.refuse(null)
    }
    expect(refused).toHaveLength(1)
    expect(await readdir(uploadTemp)).toEqual([])
    expect(await objects()).toEqual(before)
    expect((await allMedia()).some((doc) => doc.alt === '半途而废')).toBe(false)
  })
})

describe('the orphan sweep in the bucket', () => {
  it('removes an old object no media row names, and keeps every object a row names', async () => {
    const orphan = 'jiu-gu-er-0123abcd.jpg'
    await direct.send(
      new PutObjectCommand({
        Bucket: MEDIA_BUCKET,
        Key: `media/${orphan}`,
        Body: await noisyJpeg({ width: 64, height: 64, sigma: 40, quality: 85 }),
        ContentType: 'image/jpeg',
      }),
    )
    const named = (await allMedia()).flatMap(keysOf)
    expect(await sweepOrphanMedia({ payload, mediaDir: noFolder })).toEqual([])
    // An hour later: the one object no row names, and nothing a failed upload above left behind.
    expect(
      await sweepOrphanMedia({ payload, mediaDir: noFolder, now: Date.now() + 2 * 60 * 60 * 1000 }),
    ).toEqual([orphan])
    expect([...(await objects()).keys()].sort()).toEqual(named.sort())
  })
})
