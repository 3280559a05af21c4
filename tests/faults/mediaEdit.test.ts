import type { ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queueSiteBuild } from '../../cms/jobs/siteBuild.ts'
import type { Story, User } from '../../cms/payload-types.ts'
import { liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { keepOutputTail } from '../../scripts/lib/run.ts'
import { startWorkerProcess } from '../../scripts/lib/workerProcess.ts'
import { publishedStory } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * An image of a published story edited in the kitchen (its caption and alt text): the real
 * worker process (`npm run worker`) builds the site from the job the edit queues, and the
 * story's page, the home page, RSS and the JSON Feed show the new words.
 */
const OLD = { alt: '焊工在船坞里焊接殷瓦钢', caption: '旧图说：深夜的船坞' }
const NEW = { alt: '女焊工在殷瓦钢上焊出一道焊缝', caption: '新图说：凌晨三点的焊花' }
let kitchen: TestKitchen
let payload: Payload
let editor: User
let story: Story
let mediaId: number
let worker: ChildProcess | undefined
let workerOutput = () => ''

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  editor = await payload.create({
    collection: collectionSlugs.users,
    data: {
      email: 'photo-desk@faults.test',
      password: 'a-long-test-password',
      name: '图片编辑',
      role: 'editor',
    },
  })
  const section = (
    await payload.create({ collection: collectionSlugs.sections, data: { name: '图片', order: 1 } })
  ).id
  const photo = await noisyJpeg({ width: 1800, height: 1200, sigma: 30, quality: 80 })
  mediaId = (
    await payload.create({
      collection: collectionSlugs.media,
      data: { ...OLD, credit: '本报记者' },
      file: { data: photo, mimetype: 'image/jpeg', name: 'welding.jpg', size: photo.length },
      overrideAccess: true,
    })
  ).id
  // The image as the hero and in the body, where it shows the image's own caption.
  const body = savedState(
    root(paragraph(text('本报讯。')), { type: 'upload', relationTo: 'media', value: mediaId, fields: {} }),
  ) as unknown as Story['body']
  story = await publishedStory({ payload, title: '殷瓦钢上的女焊工', section, body, heroImage: mediaId })
  worker = await startWorkerProcess({
    env: { DATABASE_URL: kitchen.databaseUrl, HONGYAN_MEDIA_DIR: kitchen.mediaDir },
  })
  workerOutput = keepOutputTail({ child: worker, maxChars: 8_000 })
}, 180_000)

afterAll(async () => {
  worker?.kill('SIGKILL')
  await kitchen?.cleanup()
})

const site = () => liveSitePath(kitchen.distDir)

/** The story page, the home page, RSS and JSON Feed, as the live site has them now. */
async function outlets(): Promise<Record<string, string>> {
  const read = (file: string) => readFile(path.join(site(), file), 'utf8').catch(() => '')
  return {
    story: await read(path.join('stories', String(story.slug), 'index.html')),
    home: await read('index.html'),
    rss: await read('rss.xml'),
    jsonFeed: await read('feed.json'),
  }
}

/** Polls until every outlet shows `words`, or fails saying which did not. */
async function waitForWords(words: { alt: string; caption: string }, withinMs: number) {
  const started = Date.now()
  for (;;) {
    const missing = Object.entries(await outlets()).filter(
      ([, content]) => !content.includes(words.alt) || !content.includes(words.caption),
    )
    if (missing.length === 0) return Date.now() - started
    if (Date.now() - started > withinMs)
      throw new Error(
        `not shown by ${missing.map(([name]) => name).join(', ')}; the worker said: ${workerOutput()}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

describe('an image of a published story edited', () => {
  it("shows the new caption and alt text on the story's page, the home page, RSS and JSON Feed", async () => {
    await queueSiteBuild({ payload, reason: 'the first build' })
    await waitForWords(OLD, 120_000)

    await payload.update({
      collection: collectionSlugs.media,
      id: mediaId,
      data: NEW,
      user: editor,
      overrideAccess: false,
    })
    // The edit alone asks for the build (no story was saved), and the build reads the story again.
    const latencyMs = await waitForWords(NEW, 30_000)
    console.log(`the edited image was on the site ${latencyMs} ms after the save`)
    const texts = await outlets()
    for (const [outlet, content] of Object.entries(texts)) {
      expect(content, outlet).not.toContain(OLD.alt)
      expect(content, outlet).not.toContain(OLD.caption)
    }
    // RSS carries the hero's alt text as its Media RSS description, the caption in the body.
    expect(texts.rss).toContain(`<media:description>${NEW.alt}</media:description>`)
    expect(texts.rss).toContain(NEW.caption)
  }, 240_000)
})
