import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_IMAGE_PIXELS } from '../../cms/collections/Media/hooks/uploadGuard.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { type KitchenServer, startTestKitchenServer } from '../helpers/kitchenServer.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Hostile requests against the real production server (`next start`), as an attacker
 * would send them: each gets its exact 4xx (or is served harmlessly), the server keeps
 * serving, and nothing stored changes.
 */

const TRUSTED_ORIGIN = 'https://kitchen.hongyan.example.cn'
const editor = { email: 'desk@hongyan.test', password: 'a-long-test-password' }

let kitchen: TestKitchen
let server: KitchenServer
let token: string
let draftId: number
let publishedId: number
let snapshotBefore: string

async function snapshot(): Promise<string> {
  const hash = createHash('sha256')
  for (const collection of [collectionSlugs.stories, collectionSlugs.users, collectionSlugs.sections]) {
    const { docs } = await kitchen.payload.find({
      collection,
      limit: 1000,
      depth: 0,
      draft: true,
      sort: 'id',
    })
    // Logins legitimately touch an account's sessions and failed-attempt counters.
    const stable = docs.map((doc) => ({
      ...doc,
      updatedAt: undefined,
      sessions: undefined,
      loginAttempts: undefined,
      lockUntil: undefined,
    }))
    hash.update(JSON.stringify(stable))
  }
  hash.update(
    String((await kitchen.payload.countVersions({ collection: collectionSlugs.stories })).totalDocs),
  )
  return hash.digest('hex')
}

async function call(
  pathAndQuery: string,
  {
    method = 'GET',
    body,
    auth = true,
    headers = {},
  }: {
    method?: string
    body?: BodyInit
    auth?: boolean
    headers?: Record<string, string>
  } = {},
) {
  const response = await fetch(`${server.url}${pathAndQuery}`, {
    method,
    body,
    headers: { ...(auth ? { authorization: `JWT ${token}` } : {}), ...headers },
  })
  const text = await response.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(text)
  } catch {
    json = { text }
  }
  return { status: response.status, json, text, headers: response.headers }
}

const jsonBody = (value: unknown) => ({
  method: 'POST',
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json' },
})

beforeAll(async () => {
  process.env.HONGYAN_TRUSTED_ORIGINS = TRUSTED_ORIGIN
  process.env.HONGYAN_SECURE_COOKIES = '1'
  kitchen = await startTestKitchen()
  const { payload } = kitchen
  await payload.create({
    collection: collectionSlugs.users,
    data: { email: 'admin@hongyan.test', password: 'a-long-test-password', name: '管理员', role: 'admin' },
  })
  await payload.create({
    collection: collectionSlugs.users,
    data: { ...editor, name: '值班编辑', role: 'editor' },
  })
  await payload.create({
    collection: collectionSlugs.users,
    data: {
      email: 'locked@hongyan.test',
      password: 'the-right-password',
      name: '被锁的记者',
      role: 'reporter',
    },
  })
  token = (await payload.login({ collection: collectionSlugs.users, data: editor })).token ?? ''
  const section = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: '要闻', order: 1 },
  })
  publishedId = (
    await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: '已发布的稿件',
        section: section.id,
        stage: 'published',
        _status: 'published',
        publishedAt: new Date().toISOString(),
      },
      context: { isSeed: true },
    })
  ).id
  draftId = (
    await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '未发布的草稿', section: section.id, internalNotes: '线人电话 139' },
      draft: true,
      context: { isSeed: true },
    })
  ).id
  server = await startTestKitchenServer()
  snapshotBefore = await snapshot()
}, 600_000)

afterAll(async () => {
  await server?.stop()
  await kitchen?.cleanup()
  delete process.env.HONGYAN_TRUSTED_ORIGINS
  delete process.env.HONGYAN_SECURE_COOKIES
})

describe('hostile queries get a 4xx with a reason', () => {
  const nested = `where${'[or][0]'.repeat(20)}[title][equals]=x`
  const manyParameters = Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&')
  it.each([
    ['an enormous limit', '/api/stories?limit=100000', 400, 'bad_limit'],
    ['a negative limit', '/api/stories?limit=-1', 400, 'bad_limit'],
    ['limit=0 (all documents)', '/api/stories?limit=0', 400, 'bad_limit'],
    ['a limit that is not a number', '/api/stories?limit=abc', 400, 'bad_limit'],
    ['an enormous depth', '/api/stories?depth=1000', 400, 'bad_depth'],
    ['a negative depth', '/api/stories?depth=-1', 400, 'bad_depth'],
    ['page 0', '/api/stories?page=0', 400, 'bad_page'],
    ['an enormous page', '/api/stories?page=99999999999', 400, 'bad_page'],
    ['pagination switched off', '/api/stories?pagination=false', 400, 'pagination_required'],
    ['a where nested 40 deep', `/api/stories?${nested}`, 400, 'query_too_deep'],
    ['300 query parameters', `/api/stories?${manyParameters}`, 400, 'too_many_parameters'],
    [
      'a 10 KB query string',
      `/api/stories?where[title][equals]=${'x'.repeat(10_000)}`,
      414,
      'query_too_long',
    ],
    ['a NUL byte in a value', '/api/stories?where[title][equals]=a%00b', 400, 'control_characters'],
  ])('%s', async (_, url, status, error) => {
    for (const auth of [true, false]) {
      const response = await call(url, { auth })
      expect(response.status).toBe(status)
      expect(response.json.error).toBe(error)
      expect(String(response.json.reason)).toMatch(/\S/)
    }
  })

  it('a 20 KB query string is refused by the HTTP server itself (431) before the kitchen reads it', async () => {
    const response = await call(`/api/stories?where[title][equals]=${'x'.repeat(20_000)}`)
    expect(response.status).toBe(431)
  })

  it('malformed percent-encoding reads as text: nothing found, no error', async () => {
    const response = await call('/api/stories?where[title][equals]=%E0%A4%A')
    expect(response.status).toBe(200)
    expect(response.json.totalDocs).toBe(0)
  })

  it.each([
    ['a field that does not exist', '/api/stories?where[nonsense][equals]=1'],
    ['a relation path that does not exist', '/api/stories?where[section.nonsense][equals]=1'],
    ['an unknown operator', '/api/stories?where[title][sql]=1'],
  ])('a query on %s is a 400 naming the path', async (_, url) => {
    const response = await call(url)
    expect(response.status).toBe(400)
    expect(response.text).not.toMatch(/select |from "|stack|at .*\.js/i)
  })

  it.each([
    ['an OR injection in equals', "where[title][equals]=' OR '1'='1"],
    ['a DROP TABLE in like', "where[title][like]='; DROP TABLE stories; --"],
    ['a UNION in contains', 'where[title][contains]=x%27 UNION SELECT password FROM users --'],
    ['a comment in in', "where[title][in]=a'--,b"],
  ])('SQL-looking text (%s) is only text: 200 and nothing found', async (_, query) => {
    const response = await call(`/api/stories?${query}`)
    expect(response.status).toBe(200)
    expect(response.json.totalDocs).toBe(0)
  })

  it('a sort on SQL-looking text is a 400 or sorts nothing away', async () => {
    const response = await call('/api/stories?sort=title;DROP%20TABLE%20stories')
    expect(response.status).toBeLessThan(500)
    expect((await kitchen.payload.count({ collection: collectionSlugs.stories })).totalDocs).toBe(2)
  })

  it('an anonymous reader cannot find a draft by querying its hidden fields', async () => {
    for (const query of [
      'where[internalNotes][like]=线人',
      'where[_status][equals]=draft',
      'draft=true',
      'where[title][equals]=未发布的草稿&draft=true',
    ]) {
      const response = await call(`/api/stories?${query}`, { auth: false })
      expect(response.status).toBeLessThan(500)
      expect(JSON.stringify(response.json)).not.toContain('未发布的草稿')
      expect(JSON.stringify(response.json)).not.toContain('线人')
    }
    expect((await call(`/api/stories/${draftId}?draft=true`, { auth: false })).status).toBe(404)
  })
})

describe('hostile bodies get a 4xx with a reason', () => {
  it('malformed JSON is a 400 malformed_json', async () => {
    const response = await call('/api/stories', {
      method: 'POST',
      body: '{"title": "半截',
      headers: { 'content-type': 'application/json' },
    })
    expect(response.status).toBe(400)
    expect(response.json.error).toBe('malformed_json')
  })

  it('a 5 MB JSON body is a 413', async () => {
    const response = await call(
      '/api/stories',
      jsonBody({ title: 'x', summary: '长'.repeat(5 * 1024 * 1024) }),
    )
    expect(response.status).toBe(413)
    expect(response.json.error).toBe('body_too_large')
  })

  it.each([
    ['a number for the title', { title: 12345 }, 'title'],
    ['an object for the title', { title: { $ne: null } }, 'title'],
    ['text for the section', { title: '类型错误', section: 'abc' }, 'section'],
    ['a date that is not a date', { title: '日期错误', publishedAt: 'yesterday' }, 'publishedAt'],
    ['a string for the body', { title: '正文错误', body: '<script>alert(1)</script>' }, 'body'],
    ['a number for a byline', { title: '署名错误', byline: { text: 42 } }, 'byline.text'],
    ['an object for a tag', { title: '标签错误', tags: [{ $gt: '' }] }, 'tags'],
  ])('%s is a 400 naming the field', async (_, data, field) => {
    const response = await call('/api/stories', jsonBody({ section: 1, ...data }))
    expect(response.status).toBe(400)
    const errors = (response.json.errors as { data?: { errors?: { path: string }[] } }[])[0]?.data?.errors
    expect(errors?.map((error) => error.path)).toContain(field)
  })

  it('a reporter-only field cannot be set by mass assignment (role on sign-up)', async () => {
    const response = await call(
      `/api/users`,
      jsonBody({ email: 'mallory@hongyan.test', password: 'mallory-password', name: 'M', role: 'admin' }),
    )
    expect(response.status).toBe(403)
  })
})

describe('GraphQL', () => {
  const graphql = (query: string, auth = false) => call('/api/graphql', { ...jsonBody({ query }), auth })

  it("a malformed query is a 400 with the parser's reason", async () => {
    const response = await graphql('{ Stories { docs { title ')
    expect(response.status).toBe(400)
    expect(response.json.error).toBe('graphql_refused')
    expect(String(response.json.reason)).toMatch(/Syntax Error/)
    expect(response.text).not.toMatch(/at .*\.js/)
  })

  it('a complexity bomb (aliases × depth) is refused before it runs', async () => {
    const aliases = Array.from(
      { length: 200 },
      (_, i) => `a${i}: Stories(limit: 100) { docs { title summary section { name description } } }`,
    ).join(' ')
    const response = await graphql(`{ ${aliases} }`)
    expect(response.status).toBe(400)
    expect(String(response.json.reason)).toMatch(/complexity/i)
    expect(response.json.data ?? null).toBeNull()
  })

  it('a body over the size limit is a 413', async () => {
    const response = await graphql(`{ Stories { docs { title } } } # ${'x'.repeat(5 * 1024 * 1024)}`)
    expect(response.status).toBe(413)
  })

  it('drafts stay hidden from an anonymous GraphQL reader', async () => {
    const response = await graphql('{ Stories(draft: true, limit: 50) { docs { title internalNotes } } }')
    expect(response.status).toBeLessThan(500)
    expect(response.text).not.toContain('未发布的草稿')
    expect(response.text).not.toContain('线人')
  })
})

/** A PNG whose header declares `width` × `height` pixels, in a few hundred bytes. */
async function pngBomb({ width, height }: { width: number; height: number }): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#fff' } })
    .png()
    .toBuffer()
  const ihdr = png.subarray(12, 29)
  ihdr.writeUInt32BE(width, 4)
  ihdr.writeUInt32BE(height, 8)
  png.writeUInt32BE(crc32(ihdr) >>> 0, 29)
  return png
}

const photo = () => noisyJpeg({ width: 1200, height: 800, sigma: 30, quality: 85 })

async function upload({ bytes, name, type }: { bytes: Buffer; name: string; type: string }) {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name)
  form.append('_payload', JSON.stringify({ alt: '上传测试' }))
  // A server that refuses a body part-way closes the connection: none is reused after an upload.
  return call('/api/media', { method: 'POST', body: form, headers: { connection: 'close' } })
}

async function mediaFiles(): Promise<string[]> {
  return (await readdir(kitchen.mediaDir, { recursive: true })).map(String).sort()
}

describe('uploads', () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
  const refused: [string, () => Promise<Buffer>, string, string, RegExp][] = [
    ['SVG with script', async () => Buffer.from(svg), 'logo.svg', 'image/svg+xml', /不是 JPEG/],
    ['SVG named .jpg', async () => Buffer.from(svg), 'photo.jpg', 'image/jpeg', /不是 JPEG/],
    [
      'XML with an XSL stylesheet',
      async () =>
        Buffer.from('<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="evil.xsl"?><doc>x</doc>'),
      'photo.jpg',
      'image/jpeg',
      /不是 JPEG/,
    ],
    [
      'an HTML page named .jpg',
      async () => Buffer.from('<!doctype html><html><script>alert(document.cookie)</script></html>'),
      'photo.jpg',
      'image/jpeg',
      /不是 JPEG/,
    ],
    [
      'a PHP script named .jpg',
      async () => Buffer.from('<?php system($_GET["c"]); ?>'),
      'shell.php.jpg',
      'image/jpeg',
      /不是 JPEG/,
    ],
    ['a zero-byte file', async () => Buffer.alloc(0), 'empty.jpg', 'image/jpeg', /./],
    [
      'a truncated JPEG',
      async () => {
        const bytes = await photo()
        return bytes.subarray(0, Math.floor(bytes.length / 2))
      },
      'half.jpg',
      'image/jpeg',
      /损坏或不完整/,
    ],
    [
      'a decompression bomb (30,000 × 30,000 declared)',
      () => pngBomb({ width: 30_000, height: 30_000 }),
      'bomb.png',
      'image/png',
      /像素过大/,
    ],
  ]

  it.each(refused)(
    '%s is refused with a 400 and leaves nothing behind',
    async (_, bytes, name, type, message) => {
      const filesBefore = await mediaFiles()
      const countBefore = (await kitchen.payload.count({ collection: collectionSlugs.media })).totalDocs
      const response = await upload({ bytes: await bytes(), name, type })
      expect(response.status).toBe(400)
      expect(response.text).toMatch(message)
      expect(response.text).not.toMatch(/at .*\.js|stack/)
      expect((await kitchen.payload.count({ collection: collectionSlugs.media })).totalDocs).toBe(countBefore)
      expect(await mediaFiles()).toEqual(filesBefore)
    },
  )

  it('the pixel limit lets a 12 MP photograph through', async () => {
    expect(4000 * 3000).toBeLessThan(MAX_IMAGE_PIXELS)
    const bytes = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#456' } })
      .jpeg()
      .toBuffer()
    expect((await upload({ bytes, name: 'twelve-mp.jpg', type: 'image/jpeg' })).status).toBe(201)
  })

  it('a 30 MB file is a 413', async () => {
    const bytes = Buffer.concat([await photo(), Buffer.alloc(30 * 1024 * 1024)])
    const response = await upload({ bytes, name: 'huge.jpg', type: 'image/jpeg' })
    expect(response.status).toBe(413)
  })

  it('a part header with a NUL byte is a 400, and the server keeps serving', async () => {
    const boundary = 'hongyan-boundary'
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="evil\u0000.jpg"\r\n`,
      ),
      Buffer.from('Content-Type: image/jpeg\r\n\r\n'),
      await photo(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ])
    const response = await call('/api/media', {
      method: 'POST',
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, connection: 'close' },
    })
    expect(response.status).toBe(400)
    expect(response.json.error).toBe('malformed_upload')
    expect((await call('/api/users/me')).status).toBe(200)
  })

  it.each([
    ['a path traversal', '../../../../etc/passwd.jpg', /^passwd-[0-9a-f]{8}\.jpg$/],
    ['a 300-character name', `${'很长的名字'.repeat(60)}.jpg`, /^[a-z-]{1,40}-[0-9a-f]{8}\.jpg$/],
    ['a Chinese name', '焊工 王师傅.jpg', /^han-gong-wang-shi-fu-[0-9a-f]{8}\.jpg$/],
    ['a Windows path', 'C:\\Users\\王\\照片.jpg', /^zhao-pian-[0-9a-f]{8}\.jpg$/],
  ])('a name with %s is stored under a generated name, inside media/', async (_, name, pattern) => {
    const response = await upload({ bytes: await photo(), name, type: 'image/jpeg' })
    expect(response.status).toBe(201)
    const filename = String((response.json.doc as { filename: string }).filename)
    expect(filename).toMatch(pattern)
    expect(await mediaFiles()).toContain(filename)
    expect(path.resolve(kitchen.mediaDir, filename).startsWith(kitchen.mediaDir)).toBe(true)
  })

  it('a PNG claiming to be a JPEG is stored and served as the PNG it is', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c00' } })
      .png()
      .toBuffer()
    const response = await upload({ bytes: png, name: 'liar.jpg', type: 'image/jpeg' })
    expect(response.status).toBe(201)
    const doc = response.json.doc as { filename: string; mimeType: string; url: string }
    expect(doc.filename).toMatch(/\.png$/)
    expect(doc.mimeType).toBe('image/png')
    const served = await fetch(`${server.url}${doc.url}`, { headers: { authorization: `JWT ${token}` } })
    expect(served.headers.get('content-type')).toBe('image/png')
  })

  it('a JPEG with an HTML page appended (a polyglot) is served as an image that cannot run', async () => {
    const bytes = Buffer.concat([
      await photo(),
      Buffer.from('<html><script>alert(document.cookie)</script></html>'),
    ])
    const response = await upload({ bytes, name: 'polyglot.html', type: 'text/html' })
    expect(response.status).toBe(201)
    const doc = response.json.doc as { filename: string; url: string }
    expect(doc.filename).toMatch(/^polyglot-[0-9a-f]{8}\.jpg$/)
    const served = await fetch(`${server.url}${doc.url}`, { headers: { authorization: `JWT ${token}` } })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(served.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/)
    // Renditions are re-encoded by sharp: the appended page is not in them.
    const stored = await kitchen.payload.findByID({
      collection: collectionSlugs.media,
      id: (response.json.doc as { id: number }).id,
    })
    const card = await readFile(path.join(kitchen.mediaDir, String(stored.sizes?.card?.filename)))
    expect(card.includes('<script>')).toBe(false)
  })
})

describe('media are staff-only outside a published story', () => {
  it('an anonymous client can neither list images nor fetch a file through the API', async () => {
    const list = await call('/api/media', { auth: false })
    expect(list.status).toBe(403)
    const { docs } = await kitchen.payload.find({ collection: collectionSlugs.media, limit: 1 })
    const file = await fetch(`${server.url}${docs[0]?.url}`)
    expect(file.status).toBe(403)
    expect((await call('/api/media')).status).toBe(200)
  })
})

describe('sessions and the edge', () => {
  it('login sets an HttpOnly, Secure, SameSite=Lax cookie', async () => {
    const response = await call('/api/users/login', { ...jsonBody(editor), auth: false })
    expect(response.status).toBe(200)
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/payload-token=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/Secure/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
  })

  it('the session cookie counts only from a trusted origin (CSRF)', async () => {
    const login = await call('/api/users/login', { ...jsonBody(editor), auth: false })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const me = async (headers: Record<string, string>) =>
      (await call('/api/users/me', { auth: false, headers: { cookie, ...headers } })).json.user
    expect(await me({ origin: TRUSTED_ORIGIN })).toMatchObject({ email: editor.email })
    expect(await me({ origin: 'https://evil.example.com' })).toBeNull()
    expect(await me({ 'sec-fetch-site': 'cross-site' })).toBeNull()
  })

  it('five wrong passwords lock the account for ten minutes, even against the right one', async () => {
    const attempt = (password: string) =>
      call('/api/users/login', { ...jsonBody({ email: 'locked@hongyan.test', password }), auth: false })
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401)
    const right = await attempt('the-right-password')
    expect(right.status).toBe(401)
    expect(right.text).not.toContain('token')
    const { docs } = await kitchen.payload.find({
      collection: collectionSlugs.users,
      where: { email: { equals: 'locked@hongyan.test' } },
      showHiddenFields: true,
    })
    const lockedFor = new Date(String((docs[0] as { lockUntil?: string }).lockUntil)).getTime() - Date.now()
    expect(lockedFor).toBeGreaterThan(9 * 60_000)
    expect(lockedFor).toBeLessThanOrEqual(10 * 60_000)
  })

  it('a login flood is answered 429 with Retry-After', async () => {
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 22; i++) {
      const response = await call('/api/users/login', {
        ...jsonBody({ email: 'nobody@hongyan.test', password: `guess-${i}` }),
        auth: false,
      })
      statuses.push(response.status)
      retryAfter ??= response.headers.get('retry-after')
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true)
    expect(statuses.slice(20)).toEqual([429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
  })

  it('the admin is never framed or sniffed', async () => {
    const response = await fetch(`${server.url}/admin/login`)
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const api = await fetch(`${server.url}/api/stories`)
    expect(api.headers.get('x-content-type-options')).toBe('nosniff')
  })
})

describe('after all of it', () => {
  it('the server still serves and no story, user or section changed', async () => {
    const response = await call(`/api/stories/${publishedId}`, { auth: false })
    expect(response.status).toBe(200)
    expect(response.json.title).toBe('已发布的稿件')
    expect(await snapshot()).toBe(snapshotBefore)
  })
})
