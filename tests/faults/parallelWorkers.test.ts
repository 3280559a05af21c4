import type { ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SITE_BUILD_TASK } from '../../cms/jobs/siteBuild.ts'
import { STORY_SCHEDULE_TASK } from '../../cms/jobs/storySchedule.ts'
import { type SiteBucket, siteBucketOf } from '../../cms/lib/objectStorage.ts'
import { liveBuild } from '../../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { siteObjects } from '../../cms/publishing/site/siteObjects.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { SITE_URL } from '../helpers/ownSite.ts'
import { startS3Server, type TestS3Server } from '../helpers/s3Server.ts'
import { openScheduleDesk, type ScheduleDesk, timesPublished } from '../helpers/scheduledStories.ts'
import { publishStory } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Two worker processes on one database and one bucket, each with a data folder of its own
 * (media and dist: they share no disk, as on two hosts), working one queue side by side while
 * either is killed with SIGKILL a few times and started again: every schedule fires once,
 * every publication goes live once, and the site in the bucket equals, file by file, a clean
 * single build of the same database.
 */

const SCHEDULES = 50
const PUBLISHES = 20

let kitchen: TestKitchen
let payload: Payload
let desk: ScheduleDesk
let s3: TestS3Server
let bucket: SiteBucket
let client: S3Client
let cleanDir: string
const folders: string[] = []
const children = new Set<ChildProcess>()

type Worker = { name: string; env: Record<string, string>; distDir: string; child?: ChildProcess }

beforeAll(async () => {
  s3 = await startS3Server()
  // This process reads and uploads media through the bucket as the workers do; it deploys no
  // site (its clean build stays on its disk), so it is not given the site bucket.
  const { HONGYAN_SITE_BUCKET: _site, ...mediaEnv } = s3.env
  Object.assign(process.env, mediaEnv)
  bucket = siteBucketOf(s3.env) as SiteBucket
  client = new S3Client(bucket.client)
  cleanDir = await mkdtemp(path.join(tmpdir(), 'hongyan-parallel-clean-'))
  folders.push(cleanDir)
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  desk = await openScheduleDesk({ kitchen, domain: 'parallel.test', sectionName: '并行' })
})

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  client?.destroy()
  await s3?.stop()
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })))
  await kitchen?.cleanup()
})

async function newWorker(name: string): Promise<Worker> {
  const folder = await mkdtemp(path.join(tmpdir(), `hongyan-parallel-${name}-`))
  folders.push(folder)
  const distDir = path.join(folder, 'dist')
  return {
    name,
    distDir,
    env: {
      ...s3.env,
      DATABASE_URL: kitchen.databaseUrl,
      HONGYAN_MEDIA_DIR: path.join(folder, 'media'),
      HONGYAN_DIST_DIR: distDir,
      HONGYAN_SITE_URL: SITE_URL,
    },
  }
}

async function start(worker: Worker): Promise<void> {
  worker.child = await startWorkerProcess({ env: worker.env })
  children.add(worker.child)
}

function kill9(worker: Worker): Promise<void> {
  const child = worker.child
  if (!child || child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => {
      children.delete(child)
      resolve()
    })
    child.kill('SIGKILL')
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Jobs of `task` not finished yet (Payload deletes a job once it completes); failed ones count. */
async function openJobs(task: string): Promise<{ id: number | string; hasError?: boolean | null }[]> {
  const { docs } = await payload.find({
    collection: 'payload-jobs',
    where: { and: [{ taskSlug: { equals: task } }, { completedAt: { exists: false } }] },
    pagination: false,
    depth: 0,
  })
  return docs
}

async function waitUntil(what: string, isDone: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs
  while (!(await isDone())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${withinMs} ms`)
    await sleep(250)
  }
}

/** Every file of the site in the bucket, by key, with the sha256 of its bytes as a reader gets them. */
async function bucketDigests(): Promise<Map<string, string>> {
  const keys: string[] = []
  let token: string | undefined
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket.bucket, ContinuationToken: token }),
    )
    keys.push(...(page.Contents ?? []).map((object) => object.Key as string))
    token = page.NextContinuationToken
  } while (token)
  const digests = new Map<string, string>()
  for (const key of keys.sort()) {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }))
    const stored = Buffer.from(
      await (answer.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    )
    const bytes = answer.ContentEncoding === 'gzip' ? gunzipSync(stored) : stored
    digests.set(key, createHash('sha256').update(bytes).digest('hex'))
  }
  return digests
}

/** A clean build of the database by this process alone, into an empty folder: its files by key. */
async function cleanBuildDigests(): Promise<Map<string, string>> {
  await buildSite({ payload, distDir: cleanDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL, bucket: null })
  const live = await liveBuild({ distDir: cleanDir })
  if (!live) throw new Error('the clean build did not go live')
  return new Map((await siteObjects({ buildDir: live })).map((object) => [object.key, object.sha256]))
}

describe('two workers, separate folders, one database, killed and restarted', () => {
  it('fire every schedule once, put every publication live once, and build the same site as one clean build', async () => {
    const make = async (prefix: string, count: number) => {
      const ids: number[] = []
      for (let index = 0; index < count; index += 5) {
        const batch = Array.from({ length: Math.min(5, count - index) }, (_, offset) =>
          desk.approvedStory(`${prefix}${index + offset + 1}号稿`),
        )
        ids.push(...(await Promise.all(batch)).map((story) => story.id))
      }
      return ids
    }
    const scheduled = await make('定时', SCHEDULES)
    const published = await make('发布', PUBLISHES)
    const workers = [await newWorker('a'), await newWorker('b')] as [Worker, Worker]
    await Promise.all(workers.map(start))

    // The schedules fall due over 30 s from now, while the publications go out and the workers die.
    const t0 = Date.now()
    for (const [index, storyId] of scheduled.entries())
      await desk.schedulePublication({ storyId, at: new Date(t0 + 6_000 + index * 600) })
    const publishing = (async () => {
      for (const id of published) {
        await publishStory({ payload, id })
        await sleep(1_200)
      }
    })()
    const killing = (async () => {
      for (const [index, atMs] of [8_000, 15_000, 22_000, 29_000].entries()) {
        await sleep(Math.max(0, t0 + atMs - Date.now()))
        const victim = workers[index % 2] as Worker
        await kill9(victim)
        await sleep(1_000)
        await start(victim)
      }
    })()
    await Promise.all([publishing, killing])

    // A job a killed worker held is taken over when its lease (30 s) is over.
    await waitUntil(
      'every schedule and site build to finish',
      async () =>
        (await openJobs(STORY_SCHEDULE_TASK)).length === 0 && (await openJobs(SITE_BUILD_TASK)).length === 0,
      90_000,
    )

    for (const storyId of [...scheduled, ...published]) {
      const story = await payload.findByID({ collection: 'stories', id: storyId, depth: 0 })
      expect({ storyId, stage: story.stage, status: story._status }).toEqual({
        storyId,
        stage: 'published',
        status: 'published',
      })
      expect({ storyId, times: await timesPublished({ payload, storyId }) }).toEqual({ storyId, times: 1 })
    }
    const { docs: runs } = await payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: { story: { in: scheduled } },
      pagination: false,
      depth: 0,
    })
    expect(runs).toHaveLength(SCHEDULES)
    expect(new Set(runs.map((run) => Number(run.story))).size).toBe(SCHEDULES)
    expect(runs.every((run) => run.status === 'done')).toBe(true)
    const { totalDocs: failed } = await payload.count({
      collection: 'payload-jobs',
      where: { hasError: { equals: true } },
    })
    expect(failed).toBe(0)

    // The bucket holds the site the last build deployed, whichever worker ran it: the same
    // files as a clean build of the same database by one process.
    const cleanSite = await cleanBuildDigests()
    expect([...cleanSite.keys()].filter((key) => /^stories\/[^/]+\/index\.html$/.test(key))).toHaveLength(
      SCHEDULES + PUBLISHES,
    )
    expect(await bucketDigests()).toEqual(cleanSite)
    await Promise.all(workers.map(kill9))
  }, 240_000)
})
