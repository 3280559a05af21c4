import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { XMLParser } from 'fast-xml-parser'
import type { Payload } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { PARTNER_WEBHOOK_TASK } from '../../cms/jobs/partnerWebhook.ts'
import { runQueue } from '../../cms/jobs/runQueue.ts'
import type { Partner, Story } from '../../cms/payload-types.ts'
import { createPartnerFeedServer } from '../../cms/publishing/partnerFeed/feedServer.ts'
import { flushPullLog } from '../../cms/publishing/partnerFeed/pullLog.ts'
import { readAllPublished } from '../../cms/publishing/plate/readPublishedStories.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { internalLink, paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { rawGet } from '../helpers/rawGet.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const SITE = 'https://news.hongyan.example.cn'
const schema = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../fixtures/ninjs-schema_2.2.json'), 'utf8'),
)
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
// ninjs refers to geojson.org's GeoJSON schema (draft-07) for places: the published copy from npm.
const require = createRequire(import.meta.url)
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-07.json'))
ajv.addSchema(require('geojson-schema/GeoJSON.json'))
const validateNinjs = ajv.compile(schema)

let kitchen: TestKitchen
// The Next.js route itself; imported once the test kitchen has set the database the config reads.
let partnerFeedRoute: typeof import('../../cms/app/(feeds)/feeds/partner/[file]/route.ts').GET
let payload: Payload
let adminToken = ''
let sections: { id: number; slug: string }[] = []
const keys: Record<string, string> = {}
const partners: Record<string, Partner> = {}
let embargoed: Story
let webhookServer: Server
let webhookUrl = ''
const webhookCalls: { body: string; signature: string; event: string }[] = []
let webhookStatuses: number[] = []

beforeAll(async () => {
  process.env.HONGYAN_SITE_URL = SITE
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  partnerFeedRoute = (await import('../../cms/app/(feeds)/feeds/partner/[file]/route.ts')).GET
  await seedDemoContent({ payload, now: new Date(), adminPassword: 'demo-password-1' })
  const login = await payload.login({
    collection: collectionSlugs.users,
    data: { email: 'admin@hongyan.local', password: 'demo-password-1' },
  })
  adminToken = login.token ?? ''
  sections = (await payload.find({ collection: collectionSlugs.sections, sort: 'order', depth: 0 })).docs.map(
    (s) => ({
      id: s.id,
      slug: String(s.slug),
    }),
  )
  webhookServer = createServer((request: IncomingMessage, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => {
      webhookCalls.push({
        body,
        signature: String(request.headers['x-hongyan-signature']),
        event: String(request.headers['x-hongyan-event']),
      })
      response.writeHead(webhookStatuses.shift() ?? 200).end()
    })
  })
  await new Promise<void>((resolve) => webhookServer.listen(0, '127.0.0.1', resolve))
  webhookUrl = `http://127.0.0.1:${(webhookServer.address() as AddressInfo).port}/hooks/hongyan`

  const make = async (name: string, data: Partial<Partner> = {}) => {
    partners[name] = await payload.create({
      collection: collectionSlugs.partners,
      data: { name, allowedFormats: ['rss', 'json', 'ninjs'], rateLimitPerMinute: 1000, ...data } as Partner,
    })
    keys[name] = await issueKey(partners[name].id)
  }
  await make('工人日报社')
  await make('早鸟通讯社', { earlyRelease: true })
  await make('栏目合作方', { allowedSections: [sections[0]?.id as number], allowedFormats: ['rss'] })
  await make('过期合作方', { expiresAt: new Date(Date.now() - 86_400_000).toISOString() })
  await make('吊销合作方')
  await make('限流合作方', { rateLimitPerMinute: 3 })
  await make('表单合作方')
  await make('推送合作方', { webhookUrl, allowedSections: [sections[1]?.id as number] })
  await rest({ method: 'DELETE', path: `/partners/${partners.吊销合作方?.id}/key` })

  embargoed = await payload.create({
    collection: collectionSlugs.stories,
    data: {
      title: '禁发稿件：全市职工技能大赛获奖名单',
      summary: '获奖名单将于明日公布。',
      section: sections[0]?.id as number,
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
      embargoUntil: new Date(Date.now() + 86_400_000).toISOString(),
    },
    context: { isSeed: true },
  })
}, 120_000)

afterAll(async () => {
  webhookServer?.close()
  await kitchen?.cleanup()
})

async function rest({
  method,
  path: apiPath,
  body,
}: {
  method: 'POST' | 'DELETE' | 'PATCH'
  path: string
  body?: unknown
}) {
  const slug = apiPath.split('/').filter(Boolean)
  const response = await kitchen.api.rest[method](
    new Request(`http://kitchen.test/api/${slug.join('/')}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `JWT ${adminToken}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ slug }) },
  )
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

async function issueKey(id: number): Promise<string> {
  const { status, json } = await rest({ method: 'POST', path: `/partners/${id}/key` })
  expect(status).toBe(201)
  return String(json.key)
}

async function pull(
  file: string,
  { key, headers = {}, query = '' }: { key?: string; headers?: Record<string, string>; query?: string } = {},
) {
  const request = new Request(`http://kitchen.test/feeds/partner/${file}${query}`, {
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      'x-forwarded-for': '203.0.113.7',
      ...headers,
    },
  })
  return partnerFeedRoute(request, { params: Promise.resolve({ file }) })
}

type NinjsItem = Record<string, unknown> & {
  uri: string
  version: string
  pubstatus: string
  versioncreated: string
}

async function ninjsOf(partner: string): Promise<NinjsItem[]> {
  const response = await pull('ninjs.json', { key: keys[partner] })
  expect(response.status).toBe(200)
  return ((await response.json()) as { items: NinjsItem[] }).items
}

describe('partner feed keys', () => {
  it('answers every bad key or scope with the right 4xx and a machine-readable reason', async () => {
    const cases: [string, Response, number, string][] = [
      ['no key', await pull('ninjs.json'), 401, 'unauthorized'],
      ['a made-up key', await pull('ninjs.json', { key: 'hy_00000000_nope' }), 401, 'unauthorized'],
      ['a revoked key', await pull('ninjs.json', { key: keys.吊销合作方 }), 403, 'forbidden'],
      ['an expired agreement', await pull('ninjs.json', { key: keys.过期合作方 }), 403, 'forbidden'],
      ['a format not licensed', await pull('ninjs.json', { key: keys.栏目合作方 }), 403, 'forbidden'],
      [
        'a section not licensed',
        await pull('rss.xml', { key: keys.栏目合作方, query: `?section=${sections[1]?.slug}` }),
        403,
        'forbidden',
      ],
      ['an unknown feed', await pull('atom.xml', { key: keys.工人日报社 }), 404, 'not_found'],
      ['a good key', await pull('ninjs.json', { key: keys.工人日报社 }), 200, ''],
    ]
    for (const [what, response, status, error] of cases) {
      expect({ what, status: response.status }).toEqual({ what, status })
      if (status !== 200) {
        const body = (await response.json()) as { error: string; reason: string }
        expect(body.error).toBe(error)
        expect(body.reason.length).toBeGreaterThan(5)
      }
    }
    expect((await pull('ninjs.json', { key: keys.吊销合作方 }).then((r) => r.json())).reason).toBe(
      'this key was revoked',
    )
  })

  it('accepts the key as ?key= for readers that cannot send headers', async () => {
    expect(
      (await pull('feed.json', { query: `?key=${encodeURIComponent(String(keys.工人日报社))}` })).status,
    ).toBe(200)
  })

  it('shows a key once: never readable afterwards, and a new key retires the old one at once', async () => {
    const id = partners.工人日报社?.id
    const read = await payload.findByID({
      collection: collectionSlugs.partners,
      id: id as number,
      overrideAccess: false,
      user: (await payload.find({ collection: collectionSlugs.users, where: { role: { equals: 'admin' } } }))
        .docs[0],
    })
    expect(read).not.toHaveProperty('keyHash')
    expect(read).not.toHaveProperty('webhookSecret')
    expect(read).not.toHaveProperty('newKey')
    expect(String(keys.工人日报社)).toMatch(new RegExp(`^hy_${read.keyPrefix}_`))
    const old = String(keys.工人日报社)
    keys.工人日报社 = await issueKey(id as number)
    expect((await pull('rss.xml', { key: old })).status).toBe(401)
    expect((await pull('rss.xml', { key: keys.工人日报社 })).status).toBe(200)
  })

  it('issues a key from the admin form (密钥操作) and shows it in that save’s answer only', async () => {
    const admin = (
      await payload.find({ collection: collectionSlugs.users, where: { role: { equals: 'admin' } } })
    ).docs[0]
    const id = partners.表单合作方?.id as number
    const saved = (await payload.update({
      collection: collectionSlugs.partners,
      id,
      data: { keyAction: 'issue' } as Partial<Partner>,
      overrideAccess: false,
      user: admin,
    })) as Partner & { newKey?: string }
    expect(saved.newKey).toMatch(/^hy_[0-9a-f]{8}_/)
    expect((await pull('rss.xml', { key: saved.newKey })).status).toBe(200)
    expect((await pull('rss.xml', { key: keys.表单合作方 })).status).toBe(401)
    keys.表单合作方 = String(saved.newKey)
    const again = await payload.findByID({
      collection: collectionSlugs.partners,
      id,
      overrideAccess: false,
      user: admin,
    })
    expect(again).not.toHaveProperty('newKey')
    const revoked = await payload.update({
      collection: collectionSlugs.partners,
      id,
      data: { keyAction: 'revoke' } as Partial<Partner>,
      overrideAccess: false,
      user: admin,
    })
    expect(revoked.keyRevokedAt).toBeTruthy()
    expect((await pull('rss.xml', { key: keys.表单合作方 })).status).toBe(403)
  })
})

describe('partner feed content', () => {
  it('serves ninjs 2.2 items that validate against IPTC’s schema, complete', async () => {
    const items = await ninjsOf('工人日报社')
    const published = []
    for await (const story of readAllPublished({ payload })) published.push(story)
    expect(items.length).toBe(Math.min(50, published.length))
    for (const item of items) {
      const isValid = validateNinjs(item)
      expect({ uri: item.uri, errors: validateNinjs.errors ?? [] }).toEqual({ uri: item.uri, errors: [] })
      expect(isValid).toBe(true)
    }
    const chen = items.find((item) => (item.headlines as { value: string }[])[0]?.value.startsWith('陈海生'))
    expect(chen).toMatchObject({
      type: 'text',
      version: '1',
      pubstatus: 'usable',
      language: 'zh-CN',
      copyrightholder: '江州市总工会融媒体中心',
      usageterms: expect.stringContaining('转载请注明出处'),
      by: expect.stringContaining('王晓燕'),
    })
    expect(chen?.uri).toMatch(/^urn:hongyan:story:\d+$/)
    const bodies = chen?.bodies as { contenttype: string; charcount: number; value: string }[]
    expect(bodies.map((b) => b.contenttype)).toEqual(['text/html'])
    expect(bodies[0]?.charcount).toBeGreaterThan(500)
    expect(bodies[0]?.value).toContain(`src="${SITE}/media/`)
    expect((chen?.renditions as { name: string }[] | undefined)?.map((r) => r.name)).toContain('hero-og')
    expect(chen?.people).toContainEqual(expect.objectContaining({ name: '陈海生', rel: 'featured' }))
    expect(chen?.subjects).toContainEqual(expect.objectContaining({ rel: 'section' }))
    expect(JSON.stringify(items)).not.toContain('contactPhone')
  })

  it('releases an embargoed story early, flagged, to an early-release partner only', async () => {
    const early = (await ninjsOf('早鸟通讯社')).find(
      (item) => item.uri === `urn:hongyan:story:${embargoed.id}`,
    )
    expect(early?.embargoed).toBe(embargoed.embargoUntil)
    expect(validateNinjs(early)).toBe(true)
    expect((await ninjsOf('工人日报社')).map((item) => item.uri)).not.toContain(
      `urn:hongyan:story:${embargoed.id}`,
    )
    const earlyRss = await (await pull('rss.xml', { key: keys.早鸟通讯社 })).text()
    expect(earlyRss).not.toContain('禁发稿件')
    const publicIds = []
    for await (const story of readAllPublished({ payload })) publicIds.push(story.id)
    expect(publicIds).not.toContain(embargoed.id)
  })

  it('serves RSS and JSON Feed that another parser reads, with a partner’s sections only', async () => {
    const response = await pull('rss.xml', { key: keys.栏目合作方 })
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8')
    const rss = new XMLParser({ ignoreAttributes: false }).parse(await response.text()).rss
    const items = [rss.channel.item].flat() as {
      link: string
      'content:encoded': string
      guid: { '#text': string }
    }[]
    const inSection = await payload.count({
      collection: collectionSlugs.stories,
      where: {
        and: [
          { _status: { equals: 'published' } },
          { stage: { in: ['published', 'corrected'] } },
          { section: { equals: sections[0]?.id } },
          {
            or: [
              { embargoUntil: { exists: false } },
              { embargoUntil: { less_than_equal: new Date().toISOString() } },
            ],
          },
        ],
      },
    })
    expect(items).toHaveLength(inSection.totalDocs)
    for (const item of items) expect(item.link.startsWith(`${SITE}/stories/`)).toBe(true)
    const json = (await (await pull('feed.json', { key: keys.工人日报社 })).json()) as {
      version: string
      items: unknown[]
    }
    expect(json.version).toBe('https://jsonfeed.org/version/1.1')
    expect(json.items.length).toBeGreaterThan(10)
  })

  it('bumps version and versioncreated on a correction, keeps the uri, and cancels a withdrawn story', async () => {
    const before = await ninjsOf('工人日报社')
    const target = before.find((item) => item.pubstatus === 'usable' && item.version === '1')
    const id = Number(target?.uri.split(':').at(-1))
    const story = await payload.findByID({ collection: collectionSlugs.stories, id, depth: 0 })
    await payload.update({
      collection: collectionSlugs.stories,
      id,
      data: {
        stage: 'corrected',
        _status: 'published',
        corrections: [
          ...(story.corrections ?? []),
          { note: '更正：文中“二十万米”应为“二十五万米”。', at: new Date().toISOString() },
        ],
      },
      context: { isSeed: true },
    })
    const corrected = (await ninjsOf('工人日报社')).find((item) => item.uri === target?.uri)
    expect(corrected?.version).toBe('2')
    expect(Date.parse(String(corrected?.versioncreated))).toBeGreaterThan(
      Date.parse(String(target?.versioncreated)),
    )

    await payload.update({
      collection: collectionSlugs.stories,
      id,
      data: { stage: 'withdrawn', withdrawnReason: '当事人要求', _status: 'published' },
      context: { isSeed: true },
    })
    const canceled = (await ninjsOf('工人日报社')).find((item) => item.uri === target?.uri)
    expect(canceled).toMatchObject({ pubstatus: 'canceled', version: '3' })
    expect(canceled).not.toHaveProperty('bodies')
    expect(validateNinjs(canceled)).toBe(true)
    const rss = await (await pull('rss.xml', { key: keys.工人日报社 })).text()
    expect(rss).not.toContain(String(target?.uri))
  })
})

describe('partner feed HTTP', () => {
  it('answers 304 to If-None-Match and If-Modified-Since', async () => {
    const first = await pull('ninjs.json', { key: keys.工人日报社 })
    expect(first.status).toBe(200)
    expect(((await first.json()) as { items: unknown[] }).items.length).toBeGreaterThan(10)
    const etag = String(first.headers.get('etag'))
    const lastModified = String(first.headers.get('last-modified'))
    expect(etag).toMatch(/^"[\w-]{20,}"$/)
    expect(first.headers.get('cache-control')).toBe('private, max-age=60')
    const byTag = await pull('ninjs.json', { key: keys.工人日报社, headers: { 'if-none-match': etag } })
    expect(byTag.status).toBe(304)
    expect(await byTag.text()).toBe('')
    expect(byTag.headers.get('etag')).toBe(etag)
    const byDate = await pull('ninjs.json', {
      key: keys.工人日报社,
      headers: { 'if-modified-since': lastModified },
    })
    expect(byDate.status).toBe(304)
    const stale = await pull('ninjs.json', {
      key: keys.工人日报社,
      headers: { 'if-none-match': '"something-else"' },
    })
    expect(stale.status).toBe(200)
  })

  it('answers 429 with Retry-After past the partner’s rate limit', async () => {
    const statuses = []
    for (let i = 0; i < 5; i += 1) statuses.push((await pull('rss.xml', { key: keys.限流合作方 })).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const limited = await pull('rss.xml', { key: keys.限流合作方 })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await limited.json()) as { error: string }).error).toBe('rate_limited')
  })

  it('logs every pull with partner, format, items, versions and client IP, counted per partner', async () => {
    const partnerId = partners.早鸟通讯社?.id as number
    await flushPullLog()
    const log = await payload.find({
      collection: collectionSlugs.partnerLog,
      where: { and: [{ partner: { equals: partnerId } }, { kind: { equals: 'pull' } }] },
      sort: '-at',
    })
    expect(log.totalDocs).toBeGreaterThanOrEqual(2)
    const entry = log.docs[0]
    expect(entry).toMatchObject({ status: 200, ip: '203.0.113.7' })
    expect(entry?.items).toEqual(
      expect.arrayContaining([{ id: embargoed.id, version: 1, pubstatus: 'usable' }]),
    )
    const partner = await payload.findByID({ collection: collectionSlugs.partners, id: partnerId })
    expect(partner.pulls).toBe(log.totalDocs)
  })
})

describe('the partner feed server (npm run feeds)', () => {
  it('answers like the kitchen route, compressed with brotli or gzip, and 304 on a repeat', async () => {
    const server = createPartnerFeedServer({ payload, siteUrl: SITE })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feeds/partner`
    try {
      const headers = { authorization: `Bearer ${keys.工人日报社}` }
      const gzip = await fetch(`${base}/ninjs.json`, { headers: { ...headers, 'accept-encoding': 'gzip' } })
      expect(gzip.status).toBe(200)
      expect(gzip.headers.get('content-encoding')).toBe('gzip')
      const body = (await gzip.json()) as { items: NinjsItem[] }
      expect(body.items).toEqual(await ninjsOf('工人日报社'))
      const brotli = await fetch(`${base}/rss.xml`, { headers: { ...headers, 'accept-encoding': 'br' } })
      expect(brotli.headers.get('content-encoding')).toBe('br')
      expect(await brotli.text()).toContain('<rss')
      const again = await fetch(`${base}/ninjs.json`, {
        headers: { ...headers, 'if-none-match': String(gzip.headers.get('etag')) },
      })
      expect(again.status).toBe(304)
      expect((await fetch(`${base}/ninjs.json`)).status).toBe(401)
      expect((await fetch(`${base}/ninjs.json`, { method: 'POST', headers })).status).toBe(405)
      expect((await fetch(`${base.replace('/feeds/partner', '/elsewhere')}`)).status).toBe(404)
    } finally {
      server.close()
    }
  })
})

/** A feed server on a free port; `close` stops it. */
async function startFeeds(freshnessMs?: number) {
  const server = createPartnerFeedServer({ payload, siteUrl: SITE, freshnessMs })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feeds/partner`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function newPartnerWithKey(name: string): Promise<{ partner: Partner; key: string }> {
  const partner = await payload.create({
    collection: collectionSlugs.partners,
    data: { name, allowedFormats: ['rss', 'json', 'ninjs'], rateLimitPerMinute: 100_000 } as Partner,
  })
  return { partner, key: await issueKey(partner.id) }
}

async function publishStory(title: string, data: Partial<Story> = {}): Promise<Story> {
  return payload.create({
    collection: collectionSlugs.stories,
    data: {
      title,
      summary: '测试用稿件。',
      section: sections[0]?.id as number,
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
      ...data,
    },
    context: { isSeed: true },
  })
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the partner feed server: cached answers', () => {
  it('sends gzip and brotli that decode to the very bytes of the plain answer, under one ETag', async () => {
    // Each answer as current as the database: with a window, a version rendering meanwhile may
    // take over between two of these requests.
    const feeds = await startFeeds(0)
    try {
      const authorization = `Bearer ${keys.早鸟通讯社}`
      for (const file of ['ninjs.json', 'rss.xml', 'feed.json']) {
        const plain = await rawGet(`${feeds.base}/${file}`, { authorization })
        expect(plain.status).toBe(200)
        expect(plain.headers['content-encoding']).toBeUndefined()
        expect(Number(plain.headers['content-length'])).toBe(plain.body.length)
        const gzip = await rawGet(`${feeds.base}/${file}`, { authorization, 'accept-encoding': 'gzip' })
        expect(gzip.headers['content-encoding']).toBe('gzip')
        expect(Number(gzip.headers['content-length'])).toBe(gzip.body.length)
        expect(gzip.body.length).toBeLessThan(plain.body.length)
        expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true)
        const brotli = await rawGet(`${feeds.base}/${file}`, { authorization, 'accept-encoding': 'gzip, br' })
        expect(brotli.headers['content-encoding']).toBe('br')
        expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true)
        expect(new Set([plain, gzip, brotli].map((answer) => answer.headers.etag)).size).toBe(1)
        const head = await rawGet(
          `${feeds.base}/${file}`,
          { authorization, 'accept-encoding': 'gzip' },
          'HEAD',
        )
        expect(head.status).toBe(200)
        expect(head.body.length).toBe(0)
        expect(head.headers['content-length']).toBe(gzip.headers['content-length'])
      }
      const ninjs = JSON.parse(
        (await rawGet(`${feeds.base}/ninjs.json`, { authorization })).body.toString(),
      ) as { items: NinjsItem[] }
      expect(ninjs.items).toEqual(await ninjsOf('早鸟通讯社'))
    } finally {
      await feeds.close()
    }
  })

  it('narrows a pull with ?since= and ?limit=, and refuses values that are not', async () => {
    const feeds = await startFeeds(0)
    const { key } = await newPartnerWithKey('增量合作方')
    const headers = { authorization: `Bearer ${key}` }
    const get = async (query: string) => {
      const response = await fetch(`${feeds.base}/ninjs.json${query}`, { headers })
      return { response, json: (await response.json()) as { items: NinjsItem[]; error?: string } }
    }
    try {
      const whole = (await get('')).json.items
      expect(whole.length).toBeGreaterThan(5)
      const limited = await get('?limit=3')
      expect(limited.json.items).toEqual(whole.slice(0, 3))
      expect(limited.response.headers.get('hongyan-items-matched')).toBe(String(whole.length))
      for (const item of limited.json.items) expect(validateNinjs(item)).toBe(true)

      const before = new Date()
      await sleep(5)
      const story = await publishStory('增量拉取：职工疗休养新规出台')
      const since = await get(`?since=${encodeURIComponent(before.toISOString())}`)
      expect(since.json.items.map((item) => item.uri)).toEqual([`urn:hongyan:story:${story.id}`])
      expect(since.response.headers.get('hongyan-items-matched')).toBe('1')
      const etag = String(since.response.headers.get('etag'))
      const again = await fetch(
        `${feeds.base}/ninjs.json?since=${encodeURIComponent(before.toISOString())}`,
        {
          headers: { ...headers, 'if-none-match': etag },
        },
      )
      expect(again.status).toBe(304)
      const nothing = await get(`?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
      expect(nothing.json.items).toEqual([])

      for (const query of ['?since=yesterday', '?limit=0', '?limit=51', '?limit=2.5']) {
        const refused = await get(query)
        expect({ query, status: refused.response.status }).toEqual({ query, status: 400 })
        expect(refused.json.error).toBe('bad_request')
      }
    } finally {
      await feeds.close()
    }
  })

  it('shows a new or withdrawn story and refuses a revoked key at once with freshness 0, and within the window otherwise', async () => {
    const WINDOW_MS = 300
    const strict = await startFeeds(0)
    const windowed = await startFeeds(WINDOW_MS)
    const { partner, key } = await newPartnerWithKey('时效合作方')
    const headers = { authorization: `Bearer ${key}` }
    const pull = async (base: string) => {
      const response = await fetch(`${base}/ninjs.json`, { headers })
      const json = (await response.json()) as { items?: NinjsItem[]; reason?: string }
      return { status: response.status, etag: response.headers.get('etag'), json }
    }
    /** Pulls until `done`; the time it took from `since`. */
    const until = async (
      base: string,
      done: (answer: Awaited<ReturnType<typeof pull>>) => boolean,
      since: number,
    ) => {
      for (;;) {
        if (done(await pull(base))) return performance.now() - since
        if (performance.now() - since > 10_000) throw new Error('the feed server never caught up')
        await sleep(20)
      }
    }
    try {
      const first = await pull(strict.base)
      const firstWindowed = await pull(windowed.base)
      expect(firstWindowed.etag).toBe(first.etag)

      const story = await publishStory('时效测试：新稿件出现在下一次拉取中')
      const uri = `urn:hongyan:story:${story.id}`
      let changedAt = performance.now()
      const next = await pull(strict.base)
      expect(next.etag).not.toBe(first.etag)
      expect(next.json.items?.[0]?.uri).toBe(uri)
      const shown = await until(windowed.base, (answer) => answer.json.items?.[0]?.uri === uri, changedAt)
      expect(shown).toBeLessThan(WINDOW_MS + 1_000)

      await payload.update({
        collection: collectionSlugs.stories,
        id: story.id,
        data: { stage: 'withdrawn', withdrawnReason: '测试撤稿', _status: 'published' },
        context: { isSeed: true },
      })
      changedAt = performance.now()
      const canceled = (await pull(strict.base)).json.items?.find((item) => item.uri === uri)
      expect(canceled).toMatchObject({ pubstatus: 'canceled' })
      expect(canceled).not.toHaveProperty('bodies')
      const withdrawn = await until(
        windowed.base,
        (answer) => answer.json.items?.find((item) => item.uri === uri)?.pubstatus === 'canceled',
        changedAt,
      )
      expect(withdrawn).toBeLessThan(WINDOW_MS + 1_000)

      expect((await rest({ method: 'DELETE', path: `/partners/${partner.id}/key` })).status).toBe(200)
      changedAt = performance.now()
      const refused = await pull(strict.base)
      expect(refused).toMatchObject({ status: 403, json: { reason: 'this key was revoked' } })
      const revoked = await until(windowed.base, (answer) => answer.status === 403, changedAt)
      expect(revoked).toBeLessThan(WINDOW_MS + 1_000)

      const fresh = await issueKey(partner.id)
      expect(
        (await fetch(`${strict.base}/ninjs.json`, { headers: { authorization: `Bearer ${fresh}` } })).status,
      ).toBe(200)
      expect((await pull(strict.base)).status).toBe(401)
    } finally {
      await strict.close()
      await windowed.close()
    }
  })

  it('keeps a story’s item when nothing it shows changed, and shows a renamed person or a linked story’s new address at once', async () => {
    const feeds = await startFeeds(0)
    const { key } = await newPartnerWithKey('复用合作方')
    const items = async () =>
      (
        (await (
          await fetch(`${feeds.base}/ninjs.json`, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as { items: (NinjsItem & { bodies: { value: string }[]; people?: { name: string }[] })[] }
      ).items
    try {
      const person = await payload.create({
        collection: collectionSlugs.people,
        data: { name: '复用测试劳模甲' },
      })
      const linked = await publishStory('复用测试：被链接的稿件', { slug: 'reuse-linked-before' })
      const linking = await publishStory('复用测试：链接他稿的稿件', {
        people: [person.id],
        body: savedState(
          root(
            paragraph(
              text('详见'),
              internalLink({ relationTo: 'stories', value: linked.id, children: [text('前文')] }),
            ),
          ),
        ),
      })
      const itemOf = async () => {
        const found = (await items()).find((item) => item.uri === `urn:hongyan:story:${linking.id}`)
        expect(found).toBeDefined()
        return found as NonNullable<typeof found>
      }
      const first = await itemOf()
      expect(first.bodies[0]?.value).toContain(`${SITE}/stories/reuse-linked-before/`)
      expect(first.people?.map((p) => p.name)).toContain('复用测试劳模甲')

      // Another story published: the linking story's item is the same as before.
      await publishStory('复用测试：另一篇新稿件')
      expect(await itemOf()).toEqual(first)

      // The linked story moves: the linking story itself was not saved, its link follows.
      await payload.update({
        collection: collectionSlugs.stories,
        id: linked.id,
        data: { slug: 'reuse-linked-after' },
        context: { isSeed: true },
      })
      const moved = await itemOf()
      expect(moved.bodies[0]?.value).toContain(`${SITE}/stories/reuse-linked-after/`)
      expect(moved.bodies[0]?.value).not.toContain('reuse-linked-before')

      // A person it shows is renamed: shown at once too.
      await payload.update({
        collection: collectionSlugs.people,
        id: person.id,
        data: { name: '复用测试劳模乙' },
      })
      expect((await itemOf()).people?.map((p) => p.name)).toContain('复用测试劳模乙')
    } finally {
      await feeds.close()
    }
  })

  it('renders a change before anyone asks, and answers the version before it meanwhile, but never past the freshness window', async () => {
    // The server reads the stamp every quarter of the window (or oftener) while partners pull. A
    // long window: on a busy machine the feeds other tests asked for lately render ahead first.
    const WINDOW_MS = 12_000
    const feeds = await startFeeds(WINDOW_MS)
    const { key } = await newPartnerWithKey('续答合作方')
    const pull = async () => {
      const response = await fetch(`${feeds.base}/ninjs.json`, {
        headers: { authorization: `Bearer ${key}` },
      })
      const { items } = (await response.json()) as { items: NinjsItem[] }
      return { etag: response.headers.get('etag'), uris: items.map((item) => item.uri) }
    }
    // Holds the rendering of the new story (its people are read from stories_rels), not the
    // reads of the stamp, the key or the rate limit.
    const locker = new pg.Client({ connectionString: kitchen.databaseUrl })
    // Holds the server's reads of the stamp (they read partners; a publication does not) from
    // before the story is committed until its rendering can be held: none can find it sooner.
    const stampHolder = new pg.Client({ connectionString: kitchen.databaseUrl })
    await Promise.all([locker.connect(), stampHolder.connect()])
    const rendersHeld = async () =>
      Number(
        (
          await locker.query(
            "select count(*) from pg_locks where not granted and relation = 'stories_rels'::regclass",
          )
        ).rows[0].count,
      )
    try {
      const before = await pull()
      await stampHolder.query('begin')
      await stampHolder.query('lock table partners in access exclusive mode')
      // The reads from here wait; the last that found the content as it was began a quarter of
      // a window before at the latest, and its version may be answered for a window after it.
      const heldAt = performance.now()
      // A new person as well, so that what stories show changes too: a rendering still under
      // way from an earlier change (renders ahead queue up on a busy machine) may read the new
      // story, but keeps its plate under the shown stamp it started with, which no longer holds.
      const person = await payload.create({
        collection: collectionSlugs.people,
        data: { name: '续答测试人物' },
      })
      const story = await publishStory('续答测试：渲染期间发布的稿件', { people: [person.id] })
      // Every read that found the content as it was before the story was sent before this.
      const committedAt = performance.now()
      const uri = `urn:hongyan:story:${story.id}`
      await locker.query('begin')
      await locker.query('lock table stories_rels in access exclusive mode')
      await stampHolder.query('commit')

      // No pull since the publish: the server's own read finds it and starts the new version,
      // seen in time to ask (below) while the version before may still be answered.
      const askBy = heldAt + WINDOW_MS * 0.75 - 2_000
      await expect.poll(rendersHeld, { timeout: Math.max(0, askBy - performance.now()) }).toBeGreaterThan(0)
      // It cannot finish (held): the version the last read before the change found is answered.
      const during = await Promise.race([pull(), sleep(1_500).then(() => null)])
      expect(during).toEqual(before)

      // Past the window of every read that found the version before: the answer waits.
      await sleep(committedAt + WINDOW_MS + 200 - performance.now())
      let isAnswered = false
      const after = pull().then((answer) => {
        isAnswered = true
        return answer
      })
      await sleep(500)
      expect(isAnswered).toBe(false)
      await locker.query('commit')
      expect((await after).uris).toContain(uri)
    } finally {
      await stampHolder.query('rollback').catch(() => {})
      await locker.query('rollback').catch(() => {})
      await Promise.all([locker.end(), stampHolder.end()])
      await feeds.close()
    }
  })

  it('releases an embargoed story when its embargo ends, with no other change to the database', async () => {
    // A window far longer than the test: the release cannot wait for a new read of the database.
    const feeds = await startFeeds(60_000)
    const { key } = await newPartnerWithKey('解禁合作方')
    const headers = { authorization: `Bearer ${key}` }
    const uris = async () =>
      (
        (await (await fetch(`${feeds.base}/ninjs.json`, { headers })).json()) as { items: NinjsItem[] }
      ).items.map((item) => item.uri)
    try {
      // An hour ahead, reached by moving the clock the feed server reads (Date), not by waiting.
      const releaseAt = Date.now() + 3_600_000
      const story = await publishStory('解禁测试：大赛结果定时发布', {
        embargoUntil: new Date(releaseAt).toISOString(),
      })
      const uri = `urn:hongyan:story:${story.id}`
      await sleep(5)
      const saved = new Date()
      expect(await uris()).not.toContain(uri)
      vi.setSystemTime(releaseAt + 1_000)
      expect(await uris()).toContain(uri)
      // Saved before `since`, released after it: it changed for the partner when it was released.
      const since = (await (
        await fetch(`${feeds.base}/ninjs.json?since=${encodeURIComponent(saved.toISOString())}`, { headers })
      ).json()) as { items: NinjsItem[] }
      expect(since.items.map((item) => item.uri)).toEqual([uri])
    } finally {
      vi.useRealTimers()
      await feeds.close()
    }
  })
})

describe('partner webhooks', () => {
  it('posts a signed notice on publication, retried with backoff until the partner answers', async () => {
    const story = await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: '职工书屋新添千册图书',
        section: sections[1]?.id as number,
        stage: 'approved',
        body: savedState(root(paragraph(text('职工书屋新添千册图书。')))) as unknown as Story['body'],
      },
      context: { isSeed: true },
    })
    webhookStatuses = [500]
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: 'published', _status: 'published', publishedAt: new Date().toISOString() },
    })
    const firstTriedAt = Date.now()
    await runQueue({ payload })
    expect(webhookCalls).toHaveLength(1)
    // The failed attempt is put off by its backoff; brought forward here rather than waited for.
    const { docs: jobs } = await payload.find({
      collection: 'payload-jobs',
      where: { taskSlug: { equals: PARTNER_WEBHOOK_TASK } },
      limit: 0,
      overrideAccess: true,
    })
    const retry = jobs.find(
      (job) => Number((job.input as { storyId?: number }).storyId) === story.id && !job.completedAt,
    )
    if (!retry) throw new Error('the failed webhook left no job to retry')
    expect(new Date(String(retry.waitUntil)).getTime()).toBeGreaterThan(firstTriedAt + 1_000)
    await payload.update({
      collection: 'payload-jobs',
      id: retry.id,
      data: { waitUntil: new Date().toISOString() },
      overrideAccess: true,
    })
    await runQueue({ payload })
    expect(webhookCalls).toHaveLength(2)
    const call = webhookCalls[1]
    const body = JSON.parse(String(call?.body))
    expect(body).toMatchObject({ event: 'published', uri: `urn:hongyan:story:${story.id}`, version: 1 })
    const partner = await payload.findByID({
      collection: collectionSlugs.partners,
      id: partners.推送合作方?.id as number,
      showHiddenFields: true,
      overrideAccess: true,
    })
    const [t, v1] = String(call?.signature)
      .split(',')
      .map((part) => part.split('=')[1])
    const expected = createHmac('sha256', String(partner.webhookSecret))
      .update(`${t}.${call?.body}`)
      .digest('hex')
    expect(v1).toBe(expected)
    const log = await payload.find({
      collection: collectionSlugs.partnerLog,
      where: { and: [{ partner: { equals: partner.id } }, { kind: { equals: 'webhook' } }] },
      sort: 'at',
    })
    expect(log.docs.map((entry) => entry.status)).toEqual([500, 200])
  }, 30_000)
})
