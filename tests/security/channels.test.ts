import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ninjsItem } from '../../cms/channels/feeds/ninjs.ts'
import { houseRights } from '../../cms/channels/house.ts'
import { stripControlCharacters } from '../../cms/channels/html.ts'
import { defaultHouseStyles } from '../../cms/channels/print/houseStyles.ts'
import { buildIcml } from '../../cms/channels/print/icml.ts'
import { buildNitf } from '../../cms/channels/print/nitf.ts'
import { buildPlainText } from '../../cms/channels/print/text.ts'
import type { PublishedStory } from '../../cms/channels/types.ts'
import { DEFAULT_TEXT_MAX_LENGTH, MAX_RICH_TEXT_BYTES } from '../../cms/hooks/cleanInput.ts'
import type { Story } from '../../cms/payload-types.ts'
import { plateStory } from '../../cms/publishing/plate/plateStory.ts'
import { readAllPublished } from '../../cms/publishing/plate/readPublishedStories.ts'
import { printStory } from '../../cms/publishing/print/printStory.ts'
import { liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'
import {
  activeContent,
  decodeEntities,
  hostileBody,
  hostileHrefs,
  hostileStrings,
  sitePageScripts,
} from './hostile.ts'

const SITE_URL = 'https://news.hongyan.example.cn'
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', processEntities: true })

let kitchen: TestKitchen
let token: string
let sectionId: number
let distDir: string
let site: string
const stories = new Map<string, { id: number; title: string; slug: string }>()
const published = new Map<number, PublishedStory>()

const titleFor = (index: number, value: string) => `第${index + 1}号：${value}`

async function rest(method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await kitchen.api.rest[method](
    new Request(`http://localhost${url}`, {
      method,
      headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug: url.split('?')[0]?.split('/').slice(2) ?? [] }) },
  )
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  await payload.create({
    collection: collectionSlugs.users,
    data: { email: 'admin@hongyan.test', password: 'a-long-test-password', name: '管理员', role: 'admin' },
  })
  const credentials = { email: 'desk@hongyan.test', password: 'a-long-test-password' }
  await payload.create({
    collection: collectionSlugs.users,
    data: { ...credentials, name: '值班编辑', role: 'editor' },
  })
  token = (await payload.login({ collection: collectionSlugs.users, data: credentials })).token ?? ''
  sectionId = (
    await payload.create({ collection: collectionSlugs.sections, data: { name: '劳模风采', order: 1 } })
  ).id
  // Every hostile string goes in through the REST API, as an editor's client would send it,
  // into every text field of a story; the desk then publishes them all.
  for (const [index, [name, value]] of hostileStrings.entries()) {
    const created = await rest('POST', '/api/stories', {
      title: titleFor(index, value),
      kicker: value,
      subtitle: value,
      summary: value,
      source: value,
      dateline: value,
      byline: { text: value },
      tags: ['安全', '劳模 精神', 'AI-工匠'],
      section: sectionId,
      body: hostileBody({ value, hrefs: [] }),
    })
    expect(created.status, `${name}: ${JSON.stringify(created.body)}`).toBe(201)
    const doc = created.body.doc as { id: number }
    const live = await payload.update({
      collection: collectionSlugs.stories,
      id: doc.id,
      data: { stage: 'published', _status: 'published', publishedAt: new Date().toISOString() },
      context: { isSeed: true },
    })
    stories.set(name, { id: doc.id, title: live.title, slug: String(live.slug) })
  }
  distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-hostile-'))
  site = liveSitePath(distDir)
  await buildSite({ payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL })
  for await (const story of readAllPublished({ payload })) published.set(story.id, story)
}, 240_000)

afterAll(async () => {
  if (distDir) await rm(distDir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

const cases = hostileStrings.map(([name, value], index) => ({
  name,
  value,
  index,
  expected: titleFor(index, stripControlCharacters(value)),
}))

describe('a hostile string in every text field', () => {
  it.each(cases)('$name is stored as text, cleaned of control characters', async ({ name, expected }) => {
    const story = stories.get(name)
    const read = await rest('GET', `/api/stories/${story?.id}?depth=0`)
    expect(read.status).toBe(200)
    expect(read.body.title).toBe(expected)
    expect(JSON.stringify(read.body)).not.toMatch(/\\u0000|\\u0007|\\ud800/)
  })

  it.each(cases)(
    '$name reads as the same text on its site page, never as markup',
    async ({ name, expected }) => {
      const story = stories.get(name)
      const html = await readFile(path.join(site, 'stories', String(story?.slug), 'index.html'), 'utf8')
      const heading = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? ''
      expect(decodeEntities(heading)).toBe(expected)
      expect(activeContent(html, { isDocument: true, ownScripts: sitePageScripts })).toEqual([])
    },
  )

  it.each(cases)('$name reads as the same text in the RSS feed', async ({ name, expected }) => {
    const story = stories.get(name)
    const rss = xml.parse(await readFile(path.join(site, 'rss.xml'), 'utf8')).rss
    const item = [rss.channel.item]
      .flat()
      .find((candidate: { guid: { '#text': string } }) => candidate.guid['#text'].endsWith(`:${story?.id}`))
    expect(item.title).toBe(expected)
    expect(activeContent(item['content:encoded'])).toEqual([])
  })

  it.each(cases)('$name reads as the same text in the Atom feed', async ({ name, expected }) => {
    const story = stories.get(name)
    const atom = xml.parse(await readFile(path.join(site, 'atom.xml'), 'utf8')).feed
    const entry = [atom.entry]
      .flat()
      .find((candidate: { id: string }) => String(candidate.id).endsWith(`:${story?.id}`))
    expect(decodeEntities(String(entry.title['#text'] ?? entry.title))).toBe(expected)
    expect(activeContent(String(entry.content['#text'] ?? entry.content))).toEqual([])
  })

  it.each(cases)('$name reads as the same text in the JSON feed', async ({ name, expected }) => {
    const story = stories.get(name)
    const feed = JSON.parse(await readFile(path.join(site, 'feed.json'), 'utf8')) as {
      items: { id: string; title: string; content_html: string }[]
    }
    const item = feed.items.find((candidate) => candidate.id.endsWith(`:${story?.id}`))
    expect(item?.title).toBe(expected)
    expect(activeContent(item?.content_html ?? '')).toEqual([])
  })

  it.each(cases)('$name reads as the same text in a partner ninjs item', async ({ name, expected }) => {
    const story = published.get(stories.get(name)?.id ?? 0)
    expect(story).toBeDefined()
    const item = ninjsItem({ story: story as PublishedStory, siteUrl: SITE_URL })
    expect((item.headlines as { value: string }[])[0]?.value).toBe(expected)
    expect(activeContent(String(item.body_html))).toEqual([])
  })

  it.each(cases)('$name reads as the same text in the print exports', async ({ name, expected }) => {
    const doc = (await kitchen.payload.findByID({
      collection: collectionSlugs.stories,
      id: stories.get(name)?.id ?? 0,
      depth: 1,
    })) as Story
    const story = printStory({ doc, rights: houseRights })
    const icml = buildIcml({ story, styles: defaultHouseStyles })
    expect(icml).not.toContain('<!ENTITY')
    const contents = JSON.stringify(xml.parse(icml))
    expect(contents).toContain(JSON.stringify(expected).slice(1, -1))
    const nitf = xml.parse(buildNitf({ story, issueDate: '2026-12-01' })).nitf
    expect(JSON.stringify(nitf.body['body.head'].hedline.hl1)).toContain(
      JSON.stringify(expected).slice(1, -1),
    )
    expect(buildPlainText({ story, budget: 1000, label: '1' })).toContain(expected)
  })
})

describe('a hostile link in the body', () => {
  it.each(hostileHrefs)('%s is refused, or kept as words without a link', async (href, outcome) => {
    const before = (await kitchen.payload.count({ collection: collectionSlugs.stories })).totalDocs
    const created = await rest('POST', '/api/stories', {
      title: '一篇带链接的稿件',
      section: sectionId,
      body: hostileBody({ value: '正文', hrefs: [href] }),
    })
    if (outcome === 'refused') {
      expect(created.status).toBe(400)
      const errors = (created.body.errors as { data?: { errors?: { path: string }[] } }[])[0]?.data?.errors
      expect(errors?.map((error) => error.path)).toEqual(['body'])
      expect((await kitchen.payload.count({ collection: collectionSlugs.stories })).totalDocs).toBe(before)
      return
    }
    expect(created.status).toBe(201)
    const doc = (await kitchen.payload.findByID({
      collection: collectionSlugs.stories,
      id: (created.body.doc as { id: number }).id,
      depth: 1,
      draft: true,
    })) as Story
    const plate = plateStory({ doc, rights: houseRights })
    expect(plate.bodyHtml).toContain('<p>链接0</p>')
    expect(activeContent(plate.bodyHtml)).toEqual([])
  })
})

describe('a tag that could not be a keyword', () => {
  it.each(hostileStrings.filter(([, value]) => /[<>"'/&{}$[\]\u202e]/.test(value)))(
    '%s as a tag is refused with an error on the tags',
    async (_, value) => {
      const { status, body } = await rest('POST', '/api/stories', {
        title: '一篇带标签的稿件',
        section: sectionId,
        tags: ['劳模', value],
      })
      expect(status).toBe(400)
      const errors = (body.errors as { data?: { errors?: { path: string; message: string }[] } }[])[0]?.data
        ?.errors
      expect(errors?.map((error) => error.path)).toEqual(['tags'])
      expect(errors?.[0]?.message).toMatch(/^标签“.*”无效/)
    },
  )

  it('the site has a page for every ordinary tag, Chinese and mixed', async () => {
    for (const tag of ['安全', '劳模 精神', 'AI-工匠'])
      expect(await readFile(path.join(site, 'tags', tag, 'index.html'), 'utf8')).toContain(`标签：${tag}`)
  })
})

describe('text too long to be meant', () => {
  const tooLong = (label: string) => `${label}${'长'.repeat(1024 * 1024)}`

  it.each([
    ['title', { title: tooLong('标题') }],
    ['summary', { title: '一篇导语过长的稿件', summary: tooLong('导语') }],
    ['byline.text', { title: '一篇署名过长的稿件', byline: { text: tooLong('署名') } }],
  ])('a 1 MB %s is refused with an error on that field', async (field, data) => {
    const before = (await kitchen.payload.count({ collection: collectionSlugs.stories })).totalDocs
    const { status, body } = await rest('POST', '/api/stories', { section: sectionId, ...data })
    expect(status).toBe(400)
    const errors = (body.errors as { data?: { errors?: { path: string; message: string }[] } }[])[0]?.data
      ?.errors
    expect(errors?.map((error) => error.path)).toEqual([field])
    expect((await kitchen.payload.count({ collection: collectionSlugs.stories })).totalDocs).toBe(before)
  })

  it('a title just under the limit is accepted', async () => {
    const { status } = await rest('POST', '/api/stories', {
      section: sectionId,
      title: '长'.repeat(DEFAULT_TEXT_MAX_LENGTH),
    })
    expect(status).toBe(201)
  })

  it('a body over 2 MB is refused with an error on the body', async () => {
    const value = '段'.repeat(Math.ceil(MAX_RICH_TEXT_BYTES / 3) + 10)
    const { status, body } = await rest('POST', '/api/stories', {
      section: sectionId,
      title: '一篇正文过长的稿件',
      body: hostileBody({ value, hrefs: [] }),
    })
    expect(status).toBe(400)
    const errors = (body.errors as { data?: { errors?: { path: string; message: string }[] } }[])[0]?.data
      ?.errors
    expect(errors?.[0]?.path).toBe('body')
    expect(errors?.[0]?.message).toMatch(/正文过长/)
  })
})
