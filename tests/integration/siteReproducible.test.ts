import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { filesOf } from '../helpers/builtSite.ts'
import { bodyLinking } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const SITE_URL = 'https://news.hongyan.example.cn'

/**
 * A worker on an empty disk renders the whole site and uploads to the site bucket only the
 * files whose bytes changed: two full renders of one database must give the same bytes, or
 * every fresh worker uploads the whole site again. The stories here share their publication
 * times (ties for every ordering the build makes), and between the builds the stories' rows
 * are stored in the reverse order, so an order that rests on how Postgres happens to return them shows.
 */
let kitchen: TestKitchen
const dists: string[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  await seedDemoContent({ payload, now: new Date(), adminPassword: 'demo-password-1' })
  const sections = (await payload.find({ collection: collectionSlugs.sections, depth: 0, pagination: false }))
    .docs
  const people = (await payload.find({ collection: collectionSlugs.people, depth: 0, pagination: false }))
    .docs
  const media = (await payload.find({ collection: collectionSlugs.media, depth: 0, limit: 2 })).docs
  // 24 stories at two moments: same time, same tags, the same person, two sections.
  const moments = ['2026-03-01T02:00:00.000Z', '2026-03-02T02:00:00.000Z']
  for (let n = 0; n < 24; n += 1) {
    const title = `同一时刻发布的稿件第${n + 1}篇`
    await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title,
        section: sections[n % 2]?.id as number,
        people: [people[0]?.id as number],
        tags: ['同时发布', n % 3 === 0 ? '并列' : '同刻'],
        heroImage: n % 4 === 0 ? media[0]?.id : undefined,
        body: bodyLinking(`${title}。正文。`),
        stage: 'published',
        _status: 'published',
        publishedAt: moments[n % 2] as string,
      },
      context: { isSeed: true },
    })
  }
  // Created at one moment too: Payload's own last resort for a tie (createdAt) is a tie as well.
  await sql([`update stories set created_at = '2026-03-01T00:00:00.000Z' where title like '同一时刻%'`])
}, 180_000)

afterAll(async () => {
  for (const dir of dists) await rm(dir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

/** A full render into an empty dist folder: the site's files by path, with their bytes. */
async function fullRender(): Promise<Map<string, Buffer>> {
  const distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-site-same-'))
  dists.push(distDir)
  await buildSite({ payload: kitchen.payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL })
  const site = liveSitePath(distDir)
  const files = new Map<string, Buffer>()
  for (const file of (await filesOf(site)).sort()) files.set(file, await readFile(path.join(site, file)))
  return files
}

/** Runs statements on the kitchen's database, outside Payload. */
async function sql(statements: string[]) {
  const client = new pg.Client({ connectionString: kitchen.databaseUrl })
  await client.connect()
  try {
    for (const statement of statements) await client.query(statement)
  } finally {
    await client.end()
  }
}

/** The same rows, stored in the reverse order: a query's ties come back the other way round. */
async function reverseRows() {
  for (const table of ['stories', 'stories_rels', 'stories_texts', 'people', 'media', 'sections'])
    await sql([
      `create index reversed on "${table}" (id desc)`,
      `cluster "${table}" using reversed`,
      'drop index reversed',
      `analyze "${table}"`,
    ])
}

describe('two full renders of one database', () => {
  it('write the same files, byte for byte, story pages, lists and feeds alike', async () => {
    const first = await fullRender()
    await reverseRows()
    const second = await fullRender()
    expect([...second.keys()]).toEqual([...first.keys()])
    expect([...first.keys()].filter((file) => file.startsWith('stories/')).length).toBeGreaterThanOrEqual(44)
    const differing = [...first]
      .filter(([file, bytes]) => !second.get(file)?.equals(bytes))
      .map(([file]) => file)
    expect(differing).toEqual([])
  }, 180_000)
})
