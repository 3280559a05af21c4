import sharp from 'sharp'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createWechatClient, type WechatClient } from '../../cms/publishing/wechat/client.ts'
import type { WechatDraftArticle } from '../../cms/publishing/wechat/draftArticle.ts'
import { describeWechatError, WechatApiError } from '../../cms/publishing/wechat/errors.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { startWechatServer, type WechatServer } from '../helpers/wechatServer.ts'

const appId = 'wx5f2c9a1e7b3d4c60'
const secret = 'f3b8c1d2e4a5967801b2c3d4e5f60718'

let jpeg: Buffer
let png: Buffer
let server: WechatServer
let client: WechatClient

beforeAll(async () => {
  jpeg = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#c0392b' } })
    .jpeg()
    .toBuffer()
  png = await sharp({ create: { width: 900, height: 383, channels: 3, background: '#2c3e50' } })
    .png()
    .toBuffer()
})

beforeEach(async () => {
  server = await startWechatServer({ appId, secret })
  client = createWechatClient({ appId, secret, apiBase: server.url })
})

afterEach(async () => {
  await server.close()
})

/** How many times the server was asked for `path`. */
function callsTo(path: string): number {
  return server.requests.filter((request) => request.path === path).length
}

/** The error a promise rejects with (the test fails if it resolves). */
async function failureOf(promise: Promise<unknown>): Promise<WechatApiError> {
  const err = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(err).toBeInstanceOf(WechatApiError)
  return err as WechatApiError
}

/** A cover and a body image uploaded, and an article that shows them. */
async function articleWithImages(): Promise<{ article: WechatDraftArticle; bodyImageUrl: string }> {
  const cover = await client.addPermanentImage({ bytes: png, filename: '封面.png', mimeType: 'image/png' })
  const bodyImageUrl = await client.uploadBodyImage({
    bytes: jpeg,
    filename: '现场.jpg',
    mimeType: 'image/jpeg',
  })
  return {
    bodyImageUrl,
    article: {
      title: '市总工会举办职工技能大赛',
      author: '鸿雁编辑部',
      digest: '三百余名一线职工同台竞技。',
      content: `<p>比赛在市职工文化宫举行。</p><p><img src="${bodyImageUrl}" alt="比赛现场"></p>`,
      content_source_url: 'https://news.example.org/2025/skills-contest',
      thumb_media_id: cover.mediaId,
      need_open_comment: 1,
      only_fans_can_comment: 0,
    },
  }
}

/** A raw call to the server, as a broken client would make it. */
async function raw(path: string, init: RequestInit & { query?: Record<string, string> } = {}) {
  const query = new URLSearchParams(init.query ?? { access_token: await client.accessToken() })
  const response = await fetch(`${server.url}${path}?${query}`, { method: 'POST', ...init })
  expect(response.status).toBe(200)
  return (await response.json()) as { errcode?: number; errmsg?: string }
}

function mediaForm({
  field = 'media',
  bytes,
  name,
}: {
  field?: string
  bytes: Uint8Array
  name: string
}): FormData {
  const form = new FormData()
  form.append(field, new Blob([new Uint8Array(bytes)]), name)
  return form
}

describe('the access_token', () => {
  it('is fetched once for many calls, by callers at the same time too', async () => {
    const tokens = await Promise.all([client.accessToken(), client.accessToken(), client.accessToken()])
    expect(new Set(tokens).size).toBe(1)
    await articleWithImages()
    await client.uploadBodyImage({ bytes: png, filename: 'chart.png', mimeType: 'image/png' })
    expect(callsTo('/cgi-bin/token')).toBe(1)
  })

  it('is fetched again five minutes before it expires, not sooner', async () => {
    let clock = Date.parse('2025-05-01T08:00:00+08:00')
    const timed = createWechatClient({ appId, secret, apiBase: server.url, now: () => clock })
    const first = await timed.accessToken()
    clock += (7200 - 300) * 1000 - 1
    expect(await timed.accessToken()).toBe(first)
    clock += 1
    expect(await timed.accessToken()).not.toBe(first)
    expect(callsTo('/cgi-bin/token')).toBe(2)
  })

  it('is replaced when WeChat says it expired, and the call is made once more', async () => {
    const { article } = await articleWithImages()
    const before = await client.accessToken()
    server.expireTokens()
    const mediaId = await client.addDraft({ article })
    expect(server.drafts.get(mediaId)?.[0]?.title).toBe(article.title)
    expect(await client.accessToken()).not.toBe(before)
    const draftCalls = server.requests.filter((request) => request.path === '/cgi-bin/draft/add')
    expect(draftCalls.map((request) => request.errcode)).toEqual([42001, 0])
    expect(callsTo('/cgi-bin/token')).toBe(2)
  })

  it('is retried once only: a second refusal reaches the caller', async () => {
    await client.accessToken()
    server.failNext({ path: '/cgi-bin/draft/get', errcode: 40001 })
    server.failNext({ path: '/cgi-bin/draft/get', errcode: 40001 })
    const err = await failureOf(client.getDraft({ mediaId: 'anything' }))
    expect(err.errcode).toBe(40001)
    expect(callsTo('/cgi-bin/draft/get')).toBe(2)
    expect(describeWechatError(err)).toBe('公众号接口凭证无效，请重新推送 / invalid access_token')
  })
})

describe('images', () => {
  it('uploadimg takes a JPEG and hands back a URL that serves it', async () => {
    const url = await client.uploadBodyImage({ bytes: jpeg, filename: '现场.jpg', mimeType: 'image/jpeg' })
    expect(url).toMatch(/\/mmbiz_jpg\/.+\?wx_fmt=jpeg$/)
    const served = await fetch(url)
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg)).toBe(true)
    // The part WeChat got: field `media`, an ASCII name with the extension of the bytes.
    expect(server.uploads.get(url)?.filename).toBe('image.jpg')
  })

  it('add_material keeps a PNG as a permanent image, its media_id and URL', async () => {
    const cover = await client.addPermanentImage({
      bytes: png,
      filename: 'cover-900.png',
      mimeType: 'image/png',
    })
    expect(server.materials.get(cover.mediaId)?.url).toBe(cover.url)
    const served = await fetch(cover.url)
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true)
  })

  it('are refused by the client before anything is sent when too large or not an image', async () => {
    const large = await noisyJpeg({ width: 1200, height: 1000, sigma: 80, quality: 95 })
    expect(large.length).toBeGreaterThan(1024 * 1024)
    const tooLarge = await failureOf(
      client.uploadBodyImage({ bytes: large, filename: 'big.jpg', mimeType: 'image/jpeg' }),
    )
    expect(tooLarge).toMatchObject({ failure: 'refused', errcode: 40009 })
    expect(describeWechatError(tooLarge)).toContain('图片格式或大小不符')
    const notImage = await failureOf(
      client.uploadBodyImage({ bytes: Buffer.from('<svg/>'), filename: 'logo.png', mimeType: 'image/png' }),
    )
    expect(notImage).toMatchObject({ failure: 'refused', errcode: 40005 })
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')
    const gifInBody = await failureOf(
      client.uploadBodyImage({ bytes: gif, filename: 'a.gif', mimeType: 'image/gif' }),
    )
    expect(gifInBody.errcode).toBe(40005)
    expect(server.requests).toEqual([])
  })

  it('are refused by the server with WeChat’s errcodes when the request is malformed', async () => {
    const uploadimg = '/cgi-bin/media/uploadimg'
    expect(
      (await raw(uploadimg, { body: mediaForm({ field: 'file', bytes: jpeg, name: 'a.jpg' }) })).errcode,
    ).toBe(41005)
    const textOnly = new FormData()
    textOnly.append('media', 'not a file')
    expect((await raw(uploadimg, { body: textOnly })).errcode).toBe(41005)
    expect(
      (await raw(uploadimg, { body: new Uint8Array(jpeg), headers: { 'content-type': 'image/jpeg' } }))
        .errcode,
    ).toBe(41005)
    const missing = await raw(uploadimg, { query: {}, body: mediaForm({ bytes: jpeg, name: 'a.jpg' }) })
    expect(missing.errcode).toBe(41001)
    expect(missing.errmsg).toMatch(/^access_token missing rid: /)
    const forged = await raw(uploadimg, {
      query: { access_token: 'forged' },
      body: mediaForm({ bytes: jpeg, name: 'a.jpg' }),
    })
    expect(forged.errcode).toBe(40001)
    const text = Buffer.from('just some text, not a picture')
    expect((await raw(uploadimg, { body: mediaForm({ bytes: text, name: 'a.jpg' }) })).errcode).toBe(40005)
    expect((await raw(uploadimg, { body: mediaForm({ bytes: jpeg, name: 'a.gif' }) })).errcode).toBe(40005)
    const overMegabyte = Buffer.concat([jpeg, Buffer.alloc(1024 * 1024)])
    expect((await raw(uploadimg, { body: mediaForm({ bytes: overMegabyte, name: 'a.jpg' }) })).errcode).toBe(
      40009,
    )
    expect((await raw(uploadimg, { method: 'GET' })).errcode).toBe(43002)

    const addMaterial = '/cgi-bin/material/add_material'
    const token = await client.accessToken()
    const noType = await raw(addMaterial, {
      query: { access_token: token },
      body: mediaForm({ bytes: png, name: 'a.png' }),
    })
    expect(noType.errcode).toBe(40004)
    const over10 = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)])
    const huge = await raw(addMaterial, {
      query: { access_token: token, type: 'image' },
      body: mediaForm({ bytes: over10, name: 'a.png' }),
    })
    expect(huge.errcode).toBe(40006)
    expect(server.uploads.size + server.materials.size).toBe(0)
  })
})

describe('drafts', () => {
  it('are added, updated and read back as WeChat keeps them', async () => {
    const { article, bodyImageUrl } = await articleWithImages()
    const external = 'https://cdn.example.org/outside.jpg'
    const mediaId = await client.addDraft({
      article: {
        ...article,
        content: `${article.content}<p><img src="${external}"></p><script>alert(1)</script>`,
      },
    })
    const sent = server.requests.find((request) => request.path === '/cgi-bin/draft/add')
    // UTF-8 as it is, never \u escapes (which WeChat would show as text).
    expect(sent?.body.toString('utf8')).toContain('"title":"市总工会举办职工技能大赛"')
    expect(sent?.body.toString('utf8')).not.toContain('\\u')

    const [saved] = await client.getDraft({ mediaId })
    expect(saved).toMatchObject({
      title: article.title,
      author: '鸿雁编辑部',
      digest: article.digest,
      thumb_media_id: article.thumb_media_id,
      need_open_comment: 1,
      content_source_url: article.content_source_url,
    })
    expect(saved?.content).toContain(`<img src="${bodyImageUrl}"`)
    expect(saved?.content).not.toContain(external)
    expect(saved?.content).not.toContain('<script')
    expect(server.filteredImages).toEqual([external])

    await client.updateDraft({
      mediaId,
      article: { ...article, title: '职工技能大赛落幕', digest: undefined },
    })
    const [updated] = await client.getDraft({ mediaId })
    expect(updated?.title).toBe('职工技能大赛落幕')
    expect(updated?.digest).toBe('比赛在市职工文化宫举行。')
    expect(server.drafts.size).toBe(1)
  })

  it('are refused by the server with WeChat’s errcodes when the body is malformed', async () => {
    const { article } = await articleWithImages()
    const add = '/cgi-bin/draft/add'
    const json = (value: unknown) => ({
      body: JSON.stringify(value),
      headers: { 'content-type': 'application/json' },
    })
    expect((await raw(add, { body: '' })).errcode).toBe(44002)
    expect((await raw(add, { body: '{"articles":[{"title":"半截' })).errcode).toBe(47001)
    expect((await raw(add, json({ articles: article }))).errcode).toBe(47001)
    const { thumb_media_id: _cover, ...coverless } = article
    expect((await raw(add, json({ articles: [coverless] }))).errcode).toBe(47001)
    expect((await raw(add, json({ articles: [{ ...article, need_open_comment: '1' }] }))).errcode).toBe(47001)
    expect((await raw(add, json({ articles: [{ ...article, thumb_media_id: 'made-up' }] }))).errcode).toBe(
      40007,
    )
    expect((await raw(add, json({ articles: [{ ...article, title: '长'.repeat(65) }] }))).errcode).toBe(45003)
    expect((await raw(add, json({ articles: [{ ...article, author: '八个字以上的作者名' }] }))).errcode).toBe(
      45110,
    )
    expect((await raw(add, json({ articles: [{ ...article, digest: '摘'.repeat(121) }] }))).errcode).toBe(
      45004,
    )
    expect((await raw(add, json({ articles: [{ ...article, content: '字'.repeat(20_000) }] }))).errcode).toBe(
      45002,
    )
    expect(server.drafts.size).toBe(0)

    // \u escapes are kept as the text they are written with: 职工大赛 becomes 24 characters,
    // and 鸿雁编辑部 (5) becomes 30, past the author's 8.
    const escapedJson = (value: unknown) => ({
      body: JSON.stringify(value).replace(/[\u0080-\uffff]/g, unicodeEscape),
    })
    const short = { ...article, title: '职工大赛' }
    expect((await raw(add, escapedJson({ articles: [short] }))).errcode).toBe(45110)
    expect(
      (await raw(add, escapedJson({ articles: [{ ...short, author: undefined }] }))).errcode,
    ).toBeUndefined()
    expect([...server.drafts.values()][0]?.[0]?.title).toBe('\\u804c\\u5de5\\u5927\\u8d5b')

    const update = '/cgi-bin/draft/update'
    expect((await raw(update, json({ media_id: 'none', index: 0, articles: article }))).errcode).toBe(40007)
    const draftId = [...server.drafts.keys()][0]
    expect((await raw(update, json({ media_id: draftId, index: 1, articles: article }))).errcode).toBe(40007)
    expect((await raw(update, json({ media_id: draftId, articles: article }))).errcode).toBe(47001)
  })
})

describe('what an editor is told', () => {
  it('reaches the daily quota as a WechatApiError that says so', async () => {
    const { article } = await articleWithImages()
    server.failNext({ path: '/cgi-bin/draft/add', errcode: 45009 })
    const err = await failureOf(client.addDraft({ article }))
    expect(err).toMatchObject({ errcode: 45009, endpoint: '/cgi-bin/draft/add', failure: 'wechat' })
    expect(describeWechatError(err)).toBe('接口调用次数已达今日上限，请明天再推送 / daily API quota reached')

    // The quota counted by the server: one call left today, then every call is refused.
    server.quotaLeft = 1
    await client.addDraft({ article })
    const spent = await failureOf(client.addDraft({ article }))
    expect(spent.errcode).toBe(45009)
    expect(describeWechatError(spent)).toContain('上限')
  })

  it('hears a wrong AppSecret in one line that holds no secret', async () => {
    const wrong = createWechatClient({ appId, secret: 'not-the-secret', apiBase: server.url })
    const err = await failureOf(
      wrong.addDraft({ article: { title: 't', content: 'c', thumb_media_id: 'm' } }),
    )
    expect(err.errcode).toBe(40125)
    const line = describeWechatError(err)
    expect(line).toBe('AppID 或 AppSecret 无效，请检查公众号设置 / invalid appid or secret')
    expect(`${line} ${err.message}`).not.toContain('not-the-secret')
    expect(callsTo('/cgi-bin/draft/add')).toBe(0)
    // WeChat often answers a wrong AppSecret with 40001 at the token endpoint: the same line.
    server.failNext({ path: '/cgi-bin/token', errcode: 40001 })
    expect(describeWechatError(await failureOf(wrong.accessToken()))).toBe(line)
  })

  it('is told WeChat’s own words for an errcode the client does not know, and which IP to whitelist', async () => {
    server.failNext({ path: '/cgi-bin/draft/get', errcode: 53503, errmsg: 'draft has been published' })
    const unknown = await failureOf(client.getDraft({ mediaId: 'x' }))
    expect(describeWechatError(unknown)).toMatch(/^公众号接口返回错误 53503：draft has been published rid: /)
    server.failNext({
      path: '/cgi-bin/token',
      errcode: 40164,
      errmsg: 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist',
    })
    const fresh = createWechatClient({ appId, secret, apiBase: server.url })
    const ip = await failureOf(fresh.accessToken())
    expect(describeWechatError(ip)).toMatch(
      /^服务器 IP 203\.0\.113\.7 不在公众号白名单，.* \/ server IP 203\.0\.113\.7 not whitelisted$/,
    )
  })

  it('hears that WeChat cannot be reached when nothing answers', async () => {
    const gone = await startWechatServer({ appId, secret })
    await gone.close()
    const unreachable = createWechatClient({ appId, secret, apiBase: gone.url })
    const err = await failureOf(unreachable.accessToken())
    expect(err.failure).toBe('network')
    expect(describeWechatError(err)).toMatch(
      /^公众号接口无法连接：.*ECONNREFUSED.* \/ cannot reach the WeChat API$/,
    )
  })
})

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
}
