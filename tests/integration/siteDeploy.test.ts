import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CDN_PURGE_TASK, queueCdnPurge } from '../../cms/jobs/cdnPurge.ts'
import { type SiteBucket, siteBucketOf } from '../../cms/lib/objectStorage.ts'
import { liveBuild } from '../../cms/publishing/site/buildFolders.ts'
import type { BuildOptions } from '../../cms/publishing/site/buildOptions.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { siteObjects } from '../../cms/publishing/site/siteObjects.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startS3FaultProxy } from '../helpers/s3FaultProxy.ts'
import { type S3ServerEvent, startS3Server, type TestS3Server } from '../helpers/s3Server.ts'
import { publishedStory, withdrawStory } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * The site deployed to a bucket on a real S3-protocol server (s3rver), the deployed state in
 * the test's Postgres: only what changed goes up, in an order that never leaves a link
 * broken, a cut-short deploy resumes, and a second worker with an empty disk continues.
 */
const SITE_URL = 'https://news.hongyan.example.cn'
const PREFIX = 'www'
const PURGE_SECRET = 'cdn-purge-secret-for-tests'

let kitchen: TestKitchen
let payload: Payload
let s3: TestS3Server
let bucket: SiteBucket
let client: S3Client
let distA: string
let distB: string
let section: number
let purge: PurgeServer

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  await seedDemoContent({ payload, now: new Date(), adminPassword: 'demo-password-1' })
  section = (await payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs[0]?.id as number
  s3 = await startS3Server()
  bucket = siteBucketOf({ ...s3.env, HONGYAN_SITE_PREFIX: `/${PREFIX}/` }) as SiteBucket
  client = new S3Client(bucket.client)
  distA = await mkdtemp(path.join(tmpdir(), 'hongyan-deploy-a-'))
  distB = await mkdtemp(path.join(tmpdir(), 'hongyan-deploy-b-'))
  purge = await startPurgeServer({ failures: 2 })
  process.env.HONGYAN_CDN_PURGE_URL = purge.url
  process.env.HONGYAN_CDN_PURGE_SECRET = PURGE_SECRET
}, 180_000)

afterAll(async () => {
  delete process.env.HONGYAN_CDN_PURGE_URL
  delete process.env.HONGYAN_CDN_PURGE_SECRET
  client?.destroy()
  await purge?.close()
  await s3?.stop()
  for (const dir of [distA, distB]) if (dir) await rm(dir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

/** A build of `distDir` deployed to the test's bucket; the S3 server's events of it alone. */
async function deploy(distDir: string, options: Partial<BuildOptions> = {}) {
  s3.events.length = 0
  const result = await buildSite({
    payload,
    distDir,
    mediaDir: kitchen.mediaDir,
    siteUrl: SITE_URL,
    bucket,
    ...options,
  })
  const events = [...s3.events]
  return { result, events, puts: keysOf(events, 'put'), deletes: keysOf(events, 'delete') }
}

const keysOf = (events: S3ServerEvent[], kind: S3ServerEvent['kind']) =>
  events.filter((event) => event.kind === kind).map((event) => event.key.slice(PREFIX.length + 1))

/** Every key under the prefix, unprefixed. */
async function bucketKeys(): Promise<string[]> {
  const keys: string[] = []
  let token: string | undefined
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket.bucket, Prefix: `${PREFIX}/`, ContinuationToken: token }),
    )
    keys.push(...(page.Contents ?? []).map((object) => (object.Key as string).slice(PREFIX.length + 1)))
    token = page.NextContinuationToken
  } while (token)
  return keys.sort()
}

/** An object's bytes as a reader gets them (unzipped when stored gzipped), and its headers. */
async function objectOf(key: string) {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: `${PREFIX}/${key}` }))
  const stored = Buffer.from(
    await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  )
  return {
    bytes: answer.ContentEncoding === 'gzip' ? gunzipSync(stored) : stored,
    contentType: answer.ContentType,
    cacheControl: answer.CacheControl,
    contentEncoding: answer.ContentEncoding,
  }
}

/** The live build's files by key with their sha256, as the deploy sees them. */
async function localDigests(distDir: string): Promise<Map<string, string>> {
  const live = await liveBuild({ distDir })
  if (!live) throw new Error(`no live build in ${distDir}`)
  return new Map((await siteObjects({ buildDir: live })).map((object) => [object.key, object.sha256]))
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('the site on object storage', () => {
  it('uploads every file on the first deploy, with its Content-Type and Cache-Control', async () => {
    const { result, puts, deletes } = await deploy(distA)
    const local = await localDigests(distA)
    expect(result.deploy?.uploaded).toBe(local.size)
    expect(result.deploy?.unchanged).toBe(0)
    expect([...puts].sort()).toEqual([...local.keys()].sort())
    expect(deletes).toEqual([])
    expect(await bucketKeys()).toEqual([...local.keys()].sort())
    // What the site server keeps to itself is not in the bucket.
    expect(local.has('_redirects')).toBe(false)

    const home = await objectOf('index.html')
    expect(home).toMatchObject({
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=60',
      contentEncoding: 'gzip',
    })
    expect(sha256(home.bytes)).toBe(local.get('index.html'))
    expect(await objectOf('rss.xml')).toMatchObject({
      contentType: 'application/rss+xml; charset=utf-8',
      cacheControl: 'public, max-age=60',
    })
    expect((await objectOf('feed.json')).contentType).toBe('application/feed+json; charset=utf-8')
    expect((await objectOf('sitemap-index.xml')).contentType).toBe('application/xml; charset=utf-8')
    const asset = [...local.keys()].find((key) => key.startsWith('_astro/'))
    expect(asset).toBeTruthy()
    expect((await objectOf(asset as string)).cacheControl).toBe('public, max-age=31536000, immutable')
    const image = [...local.keys()].find((key) => key.startsWith('media/') && key.endsWith('.webp'))
    expect(image).toBeTruthy()
    const stored = await objectOf(image as string)
    expect(stored).toMatchObject({
      contentType: 'image/webp',
      cacheControl: 'public, max-age=31536000, immutable',
    })
    expect(stored.contentEncoding).toBeUndefined()
    expect(sha256(stored.bytes)).toBe(local.get(image as string))
  })

  it('uploads only what a publish changed, pages before the lists that link them, and tells the CDN', async () => {
    const before = await localDigests(distA)
    const story = await publishedStory({ payload, title: '桶里的新稿件：焊工技能比武', section })
    const { result, puts, deletes } = await deploy(distA, {
      onDeployed: async (paths) => {
        await queueCdnPurge({ payload, paths })
      },
    })
    const after = await localDigests(distA)
    const changed = [...after].filter(([key, digest]) => before.get(key) !== digest).map(([key]) => key)
    expect([...puts].sort()).toEqual(changed.sort())
    expect(result.deploy?.uploaded).toBe(changed.length)
    expect(result.deploy?.unchanged).toBe(after.size - changed.length)
    expect(changed.length).toBeLessThan(after.size / 4)
    expect(deletes).toEqual([])
    const page = `stories/${story.slug}/index.html`
    expect(puts).toContain(page)
    // The story's page is up before the home page, the section and the feeds that link it.
    for (const list of ['index.html', 'rss.xml', 'sitemap-0.xml'])
      expect(puts.indexOf(page), list).toBeLessThan(puts.indexOf(list))
    // Every page new to the bucket is up before any page already there that changed (and may link it).
    const isPage = (key: string) => /\.(html|xml)$/.test(key) || key === 'feed.json'
    const newPages = puts.filter((key) => isPage(key) && !before.has(key))
    const changedPages = puts.filter((key) => isPage(key) && before.has(key))
    expect(newPages).toContain(page)
    expect(Math.max(...newPages.map((key) => puts.indexOf(key)))).toBeLessThan(
      Math.min(...changedPages.map((key) => puts.indexOf(key))),
    )
    expect(result.deploy?.bytesUploaded).toBeGreaterThan(0)
    expect(result.deploy?.purged).toContain(`/stories/${story.slug}/`)

    // The purge: signed, retried with backoff after the CDN failed twice, then accepted.
    const deadline = Date.now() + 40_000
    while (purge.accepted.length === 0 && Date.now() < deadline) {
      await payload.jobs.run({ where: { taskSlug: { equals: CDN_PURGE_TASK } }, limit: 10 })
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    expect(purge.refused).toBe(2)
    expect(purge.badSignatures).toBe(0)
    expect(purge.accepted).toHaveLength(1)
    const body = purge.accepted[0] as { event: string; purgeAll: boolean; paths: string[] }
    expect(body).toMatchObject({ event: 'site.deployed', purgeAll: false })
    expect(body.paths).toEqual(result.deploy?.purged)
    expect(body.paths).toEqual(expect.arrayContaining([`/stories/${story.slug}/`, '/', '/rss.xml']))
  }, 90_000)

  it("deletes a withdrawn story's page last, once the lists no longer link it", async () => {
    const [story] = (
      await payload.find({
        collection: collectionSlugs.stories,
        where: { title: { equals: '桶里的新稿件：焊工技能比武' } },
        limit: 1,
      })
    ).docs
    await withdrawStory({ payload, id: story?.id as number })
    const { result, events, deletes } = await deploy(distA)
    const page = `stories/${story?.slug}/index.html`
    expect(deletes).toEqual([page])
    expect(result.deploy?.deleted).toBe(1)
    // Every upload (the home page, the section, the feeds no longer listing it) came first.
    expect(events.at(-1)).toMatchObject({ kind: 'delete' })
    expect(keysOf(events, 'put')).toContain('index.html')
    expect(await bucketKeys()).not.toContain(page)
    expect((await objectOf('index.html')).bytes.toString()).not.toContain(`/stories/${story?.slug}/`)
    expect((await objectOf('rss.xml')).bytes.toString()).not.toContain(`/stories/${story?.slug}/`)
  })

  it('resumes a deploy cut short by an outage of the bucket without uploading anything twice', async () => {
    const story = await publishedStory({ payload, title: '断网时发布的稿件', section })
    const before = await localDigests(distA)
    // The bucket goes away as the story's page lands, before the lists go up.
    s3.events.length = 0
    let hasFailed = false
    const pageKey = `${PREFIX}/stories/${story.slug}/index.html`
    s3.onEvent((event) => {
      if (event.key === pageKey && !hasFailed) {
        hasFailed = true
        s3.pause()
      }
    })
    await expect(
      buildSite({ payload, distDir: distA, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL, bucket }),
    ).rejects.toThrow()
    const firstTry = keysOf(s3.events, 'put')
    expect(firstTry).toContain(`stories/${story.slug}/index.html`)
    s3.resume()
    const { puts, result } = await deploy(distA)
    expect(result.pagesRendered).toBe(0)
    expect(puts.filter((key) => firstTry.includes(key))).toEqual([])
    expect(puts).toContain('index.html')
    // Between them the two tries uploaded each change once.
    const local = await localDigests(distA)
    const changed = [...local].filter(([key, digest]) => before.get(key) !== digest).map(([key]) => key)
    expect([...firstTry, ...puts].sort()).toEqual(changed.sort())
    // Now the bucket holds the build, file by file.
    expect(await bucketKeys()).toEqual([...local.keys()].sort())
    for (const key of ['index.html', 'rss.xml', `stories/${story.slug}/index.html`])
      expect(sha256((await objectOf(key)).bytes)).toBe(local.get(key))
  }, 90_000)

  it('lets a second worker with an empty dist folder continue: it uploads only the changes', async () => {
    const story = await publishedStory({ payload, title: '另一台机器发布的稿件', section })
    const { result, puts } = await deploy(distB)
    const local = await localDigests(distB)
    // Worker B rendered everything on its empty disk, but the bucket needed only the changes.
    expect(result.pagesReused).toBe(0)
    expect(puts).toContain(`stories/${story.slug}/index.html`)
    expect(puts.length).toBeLessThan(local.size / 4)
    expect(result.deploy?.uploaded).toBe(puts.length)
    // And the bucket is B's build, file by file.
    expect(await bucketKeys()).toEqual([...local.keys()].sort())
    for (const [key, digest] of local) expect(sha256((await objectOf(key)).bytes), key).toBe(digest)
  }, 120_000)

  it('fails a deploy whose one upload in the middle of a step is refused, and the retry finishes it', async () => {
    // The same bucket through a proxy that refuses one key, under a prefix of its own: a new
    // target, so the whole build goes up, the assets and media first (many more than go at once).
    const proxy = await startS3FaultProxy({ target: s3.endpoint })
    const prefix = 'proxied'
    const proxied = siteBucketOf({
      ...s3.env,
      HONGYAN_S3_ENDPOINT: proxy.endpoint,
      HONGYAN_SITE_PREFIX: prefix,
    }) as SiteBucket
    const putsOf = (events: S3ServerEvent[]) =>
      events
        .filter((event) => event.kind === 'put' && event.key.startsWith(`${prefix}/`))
        .map((event) => event.key.slice(prefix.length + 1))
    try {
      const local = await localDigests(distB)
      const assets = [...local.keys()].filter((key) => !/\.(html|xml)$/.test(key) && key !== 'feed.json')
      // Requests in flight at once: 16. The refused one has more than that queued behind it.
      expect(assets.length).toBeGreaterThan(2 * 16)
      const refused = assets[Math.floor(assets.length / 2)] as string
      proxy.refuse(
        (request) => request.method === 'PUT' && request.path === `/${bucket.bucket}/${prefix}/${refused}`,
      )

      s3.events.length = 0
      let timer: NodeJS.Timeout | undefined
      const hangs = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the deploy never settled after a refused upload')), 60_000)
      })
      const attempt = buildSite({
        payload,
        distDir: distB,
        mediaDir: kitchen.mediaDir,
        siteUrl: SITE_URL,
        bucket: proxied,
      })
      await expect(Promise.race([attempt, hangs]).finally(() => clearTimeout(timer))).rejects.toThrow(
        'Refused by the test proxy',
      )
      const firstTry = putsOf(s3.events)
      expect(firstTry).not.toContain(refused)
      expect(firstTry.length).toBeGreaterThan(0)
      // Nothing new started after the failure, and no later step (the pages) began.
      expect(firstTry.length).toBeLessThan(assets.length - 1)
      expect(firstTry.every((key) => assets.includes(key))).toBe(true)

      proxy.refuse(null)
      s3.events.length = 0
      const retry = await buildSite({
        payload,
        distDir: distB,
        mediaDir: kitchen.mediaDir,
        siteUrl: SITE_URL,
        bucket: proxied,
      })
      const puts = putsOf(s3.events)
      expect(puts).toContain(refused)
      expect(puts.filter((key) => firstTry.includes(key))).toEqual([])
      expect([...firstTry, ...puts].sort()).toEqual([...local.keys()].sort())
      expect(retry.deploy?.uploaded).toBe(local.size - firstTry.length)
    } finally {
      await proxy.stop()
    }
  }, 180_000)
})

type PurgeServer = {
  url: string
  accepted: unknown[]
  refused: number
  badSignatures: number
  close: () => Promise<void>
}

/** The CDN's purge hook: checks the signature and the timestamp, and fails the first `failures` calls. */
async function startPurgeServer({ failures }: { failures: number }): Promise<PurgeServer> {
  const state = { accepted: [] as unknown[], refused: 0, badSignatures: 0 }
  const server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => {
      const [, t, v1] =
        /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers['x-hongyan-signature'])) ?? []
      const expected = createHmac('sha256', PURGE_SECRET).update(`${t}.${body}`).digest()
      const isSigned =
        !!t &&
        !!v1 &&
        timingSafeEqual(Buffer.from(v1, 'hex'), expected) &&
        Math.abs(Date.now() / 1000 - Number(t)) < 300
      if (!isSigned) {
        state.badSignatures += 1
        response.writeHead(401).end()
      } else if (state.refused < failures) {
        state.refused += 1
        response.writeHead(503).end()
      } else {
        state.accepted.push(JSON.parse(body))
        response.writeHead(204).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/purge`,
    get accepted() {
      return state.accepted
    },
    get refused() {
      return state.refused
    },
    get badSignatures() {
      return state.badSignatures
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
