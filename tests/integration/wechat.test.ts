import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { unzipSync } from 'fflate'
import { parseFragment } from 'parse5'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WechatLimitError } from '../../cms/channels/wechat/limits.ts'
import { projectRoot } from '../../cms/paths.ts'
import type { Story, User, WechatPush } from '../../cms/payload-types.ts'
import { siteOrigin } from '../../cms/publishing/site/siteOrigin.ts'
import { createWechatClient } from '../../cms/publishing/wechat/client.ts'
import { WechatApiError } from '../../cms/publishing/wechat/errors.ts'
import { WechatExportError } from '../../cms/publishing/wechat/exportError.ts'
import { exportWechatArticle } from '../../cms/publishing/wechat/exportWechat.ts'
import { pushWechatDraft } from '../../cms/publishing/wechat/pushDraft.ts'
import type { WechatSettings } from '../../cms/publishing/wechat/wechatSettings.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import {
  heading,
  link,
  list,
  paragraph,
  quote,
  root,
  savedState,
  text,
  upload,
} from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'
import { startWechatServer, type WechatServer } from '../helpers/wechatServer.ts'

const APP_ID = 'wx5e1c0ffee0000001'
const SECRET = 'a-test-app-secret-0123456789abcdef'
const MiB = 1024 * 1024

let kitchen: TestKitchen
let payload: Payload
let server: WechatServer
let settings: WechatSettings
let outDir: string
let editor: User
let tokens: { editor: string; reporter: string }
/** The seeded 陈海生 story. */
let seeded: Story
/** A story of the test's own: a hero with its subject off-centre, a tall noisy photo, a transparent PNG. */
let harbour: Story

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  await seedDemoContent({ payload, now: new Date('2026-11-20T02:00:00Z'), adminPassword: 'demo-password-1' })
  const staff = await createStaff({ payload, domain: 'wechat.test', roles: ['editor', 'reporter'] })
  editor = staff.users.editor
  tokens = staff.tokens
  server = await startWechatServer({ appId: APP_ID, secret: SECRET })
  settings = { appId: APP_ID, secret: SECRET, apiBase: server.url }
  outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-wechat-test-'))
  seeded = await storyTitled('陈海生：把焊缝焊成“免检产品”')
  const hero = await addImage({
    bytes: await subjectAt({ x: 0.2, y: 0.25 }),
    name: 'harbour-hero.jpg',
    focalX: 20,
    focalY: 25,
  })
  const tall = await addImage({
    bytes: await noiseJpeg({ width: 1080, height: 2400 }),
    name: 'night-shift.jpg',
  })
  const chart = await addImage({
    bytes: await transparentPng(),
    name: 'harbour-map.png',
    mimetype: 'image/png',
  })
  harbour = await addStory({
    title: '码头上的新变化',
    heroImage: hero,
    body: root(
      paragraph(text('江州港区的清晨，装卸工人已经开始了一天的忙碌。')),
      heading('h2', text('一线的数据')),
      paragraph(
        text('今年全港完成吞吐量'),
        link({ url: 'https://example.org/report', id: 'l1', children: [text('一千二百万吨')] }),
        text('，同比增长百分之八。'),
      ),
      upload({ id: 'u1', value: tall, caption: '夜班工人在码头作业' }),
      list({ items: ['安全第一，质量为本', '班组互助，技能比武'], listType: 'bullet' }),
      quote(text('“把每一个集装箱都当成自己的家当。”')),
      upload({ id: 'u2', value: chart, caption: '港区示意图' }),
      paragraph(text('工会还在码头边为工人们建起了书屋。')),
      upload({ id: 'u3', value: tall, caption: '同一张照片再用一次' }),
    ),
  })
}, 180_000)

afterAll(async () => {
  await server?.close()
  if (outDir) await rm(outDir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

describe('the WeChat export folder', () => {
  it('holds article.html, its images, meta.json and preview.html, and nothing half-written', async () => {
    const result = await exportWechatArticle({
      payload,
      story: String(seeded.slug),
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    expect(path.basename(result.dir)).toBe(`wechat-${seeded.slug}`)
    expect(result.files).toEqual(
      expect.arrayContaining([
        'article.html',
        'preview.html',
        'meta.json',
        'images/cover-2.35x1.jpg',
        'images/cover-1x1.jpg',
      ]),
    )
    for (const file of result.files) expect(existsSync(path.join(result.dir, file))).toBe(true)
    expect((await readdir(outDir)).filter((entry) => entry.startsWith('.'))).toEqual([])
    const html = await readFile(path.join(result.dir, 'article.html'), 'utf8')
    const meta = JSON.parse(await readFile(path.join(result.dir, 'meta.json'), 'utf8'))
    expect(meta).toMatchObject({
      story: { id: seeded.id, version: 1, slug: seeded.slug },
      title: '陈海生：把焊缝焊成“免检产品”',
      author: '王晓燕 李强',
      digest: '三十年、二十多万米焊缝、一次合格率99.8%：走近全国五一劳动奖章获得者陈海生。',
      sourceUrl: `${siteOrigin()}/stories/${seeded.slug}/`,
      cover: { wide: 'images/cover-2.35x1.jpg', square: 'images/cover-1x1.jpg' },
      counts: { characters: [...html].length, bytes: Buffer.byteLength(html) },
    })
    // The 汉字 the web page counts, counted again here.
    expect(meta.counts.hanzi).toBe(hanOf(bodyText(seeded)).length)
    expect(meta.counts.articleHanzi).toBe(hanOf(textOf(html)).length)
    for (const file of meta.files as { path: string; bytes: number }[]) {
      expect((await readFile(path.join(result.dir, file.path))).length).toBe(file.bytes)
    }
    const preview = await readFile(path.join(result.dir, 'preview.html'), 'utf8')
    expect(preview).toContain(html)
    expect(preview).toContain('复制正文')
    console.log(
      `wechat export of “${seeded.title}”: article.html ${meta.counts.characters} characters, ${meta.counts.bytes} bytes; ` +
        `汉字 ${meta.counts.articleHanzi} in the article, ${meta.counts.hanzi} in the web page's body`,
    )
  })

  it('writes article.html with only the tags and attributes WeChat keeps, its images as files beside it', async () => {
    for (const story of [seeded, harbour]) {
      const { dir } = await exportWechatArticle({
        payload,
        story: story.id,
        outDir,
        mediaDir: kitchen.mediaDir,
      })
      const html = await readFile(path.join(dir, 'article.html'), 'utf8')
      const elements = elementsOf(parseFragment(html))
      const outside = elements.flatMap((element) => [
        ...(ALLOWED_TAGS.includes(element.tagName) ? [] : [`<${element.tagName}>`]),
        ...element.attrs
          .filter((attribute) => !(ALLOWED_ATTRIBUTES[element.tagName] ?? ['style']).includes(attribute.name))
          .map((attribute) => `<${element.tagName} ${attribute.name}>`),
      ])
      expect(outside).toEqual([])
      const sources = elements.flatMap((element) =>
        element.attrs.filter((a) => a.name === 'src').map((a) => a.value),
      )
      expect(sources.length).toBeGreaterThan(0)
      for (const src of sources) {
        expect(src).toMatch(/^images\/[a-z0-9-]+\.jpg$/)
        expect(existsSync(path.join(dir, src))).toBe(true)
      }
    }
  })

  it('makes the images at WeChat sizes: cover 2.35:1 and 1:1 around the focal point, body at most 1080 wide and under 1 MB', async () => {
    const { dir, meta } = await exportWechatArticle({
      payload,
      story: harbour.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    const wide = path.join(dir, 'images/cover-2.35x1.jpg')
    const square = path.join(dir, 'images/cover-1x1.jpg')
    expect(await shapeOf(wide)).toEqual({ format: 'jpeg', width: 900, height: 383 })
    expect(await shapeOf(square)).toEqual({ format: 'jpeg', width: 400, height: 400 })
    // The subject (a red disc at 20 % across, 25 % down) is whole in both cuts: centred cuts would lose part of it.
    const wholeDisc = ({ radius, area }: { radius: number; area: number }) => (Math.PI * radius ** 2) / area
    expect((await redShare(wide)) / wholeDisc({ radius: 160 * (900 / 2400), area: 900 * 383 })).toBeCloseTo(
      1,
      1,
    )
    expect((await redShare(square)) / wholeDisc({ radius: 160 * (400 / 1600), area: 400 * 400 })).toBeCloseTo(
      1,
      1,
    )
    // Two body images (the tall photo used twice is one file).
    expect(meta.images).toHaveLength(2)
    for (const image of meta.images) {
      const file = path.join(dir, image.file)
      const shape = await sharp(file).metadata()
      expect(shape.format).toBe('jpeg')
      expect(shape.hasAlpha).toBe(false)
      expect(shape.width).toBeLessThanOrEqual(1080)
      expect((await readFile(file)).length).toBeLessThan(MiB)
    }
    // The noisy photo is 1.6 MB at quality 85: it was made smaller, not narrower.
    expect(meta.images[0]).toMatchObject({ width: 1080, height: 2400 })
    // The transparent PNG, 800 wide, is not enlarged.
    expect(meta.images[1]).toMatchObject({ width: 800, height: 600 })
  })

  it('carries every 汉字 of the body, in order, for every story the desk may take', async () => {
    const { docs } = await payload.find({
      collection: collectionSlugs.stories,
      where: { stage: { in: ['approved', 'scheduled', 'published', 'corrected'] } },
      depth: 0,
      limit: 100,
      draft: true,
    })
    expect(docs.length).toBeGreaterThan(5)
    for (const story of [...docs, harbour]) {
      const { dir } = await exportWechatArticle({
        payload,
        story: story.id,
        outDir,
        mediaDir: kitchen.mediaDir,
      })
      const article = hanOf(textOf(await readFile(path.join(dir, 'article.html'), 'utf8')))
      const body = hanOf(bodyText(story))
      expect(body.length).toBeGreaterThan(20)
      expect({ story: story.title, missing: missingInOrder({ wanted: body, within: article }) }).toEqual({
        story: story.title,
        missing: [],
      })
    }
  })
})

describe('refusals', () => {
  it('refuses a story over a WeChat limit, naming it, and writes and sends nothing', async () => {
    const longTitle = '江州'.repeat(35)
    await payload.update({
      collection: collectionSlugs.stories,
      id: harbour.id,
      data: { wechat: { title: longTitle } },
      context: { isSeed: true },
    })
    try {
      const before = await readdir(outDir)
      await rm(path.join(outDir, `wechat-${harbour.slug}`), { recursive: true, force: true })
      const error = await exportWechatArticle({
        payload,
        story: harbour.id,
        outDir,
        mediaDir: kitchen.mediaDir,
      }).catch((err: unknown) => err)
      expect(error).toBeInstanceOf(WechatLimitError)
      expect((error as WechatLimitError).problems).toEqual([
        expect.objectContaining({ field: 'title', limit: 64, actual: 70, over: 6 }),
      ])
      expect((error as Error).message).toContain('标题 70 字，超出公众号上限 64 字 6 字')
      expect((await readdir(outDir)).sort()).toEqual(
        before.filter((entry) => entry !== `wechat-${harbour.slug}`).sort(),
      )
      const requests = server.requests.length
      await expect(
        pushWechatDraft({ payload, story: harbour.id, settings, mediaDir: kitchen.mediaDir }),
      ).rejects.toThrow(WechatLimitError)
      expect(server.requests.length).toBe(requests)
      expect(await pushesOf(harbour.id)).toEqual([])
    } finally {
      await payload.update({
        collection: collectionSlugs.stories,
        id: harbour.id,
        data: { wechat: { title: null } },
        context: { isSeed: true },
      })
    }
  })

  it('refuses a draft, a withdrawn story, one under embargo and one without any image, each saying why', async () => {
    const draft = await storyOf({ stage: 'draft' })
    await expect(exportOf(draft.id)).rejects.toThrow(/尚未审定（draft）/)
    const withdrawn = await addStory({ title: '已撤下的稿件', heroImage: harbour.heroImage as number })
    await payload.update({
      collection: collectionSlugs.stories,
      id: withdrawn.id,
      data: { stage: 'withdrawn', withdrawnReason: '测试' },
      context: { isSeed: true },
    })
    await expect(exportOf(withdrawn.id)).rejects.toThrow(/已撤稿/)
    const embargoed = await addStory({
      title: '禁发中的稿件',
      heroImage: harbour.heroImage as number,
      embargoUntil: new Date(Date.now() + 86_400_000).toISOString(),
    })
    await expect(exportOf(embargoed.id)).rejects.toThrow(/禁发至/)
    const bare = await addStory({ title: '没有图片的稿件' })
    const error = await exportOf(bare.id).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(WechatExportError)
    expect(error).toMatchObject({ status: 422, message: expect.stringContaining('公众号图文必须有封面图') })
    await expect(exportOf('no-such-story')).rejects.toMatchObject({ status: 404 })
  })

  it('refuses a body image that cannot be made under 1 MB, saying so', async () => {
    const huge = await addImage({
      bytes: await noiseJpeg({ width: 1080, height: 3600 }),
      name: 'too-much-noise.jpg',
    })
    const story = await addStory({
      title: '一张压不小的图',
      heroImage: harbour.heroImage as number,
      body: root(paragraph(text('正文一段。')), upload({ id: 'u9', value: huge, caption: '噪点' })),
    })
    await expect(exportOf(story.id)).rejects.toThrow(/压到质量 40 仍有 \d+ KB，公众号正文图片须小于 1 MB/)
  })
})

describe('pushing a draft', () => {
  it("adds a draft whose images are WeChat's own URLs and whose cover is a permanent image, and records it", async () => {
    const pushed = await pushWechatDraft({
      payload,
      story: harbour.id,
      user: editor,
      settings,
      mediaDir: kitchen.mediaDir,
    })
    expect(pushed).toMatchObject({ action: 'add', storyVersion: 1, uploaded: { body: 2, cover: 1 } })
    const [draft] = server.drafts.get(pushed.mediaId) ?? []
    expect(draft).toMatchObject({
      title: '码头上的新变化',
      author: '王晓燕 李强',
      content_source_url: `${siteOrigin()}/stories/${harbour.slug}/`,
    })
    const sources = [...(draft?.content ?? '').matchAll(/<img [^>]*src="([^"]+)"/g)].map((found) => found[1])
    expect(sources).toHaveLength(3)
    for (const src of sources) expect(server.uploads.has(String(src).replaceAll('&amp;', '&'))).toBe(true)
    expect(server.filteredImages).toEqual([])
    expect(server.materials.has(draft?.thumb_media_id ?? '')).toBe(true)
    // WeChat's cuts of the uploaded cover are the export's cover files.
    const cover = server.materials.get(draft?.thumb_media_id ?? '')
    const { dir, meta } = await exportWechatArticle({
      payload,
      story: harbour.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    expect(draft).toMatchObject({
      pic_crop_235_1: meta.cover.pic_crop_235_1,
      pic_crop_1_1: meta.cover.pic_crop_1_1,
    })
    expect(
      await cropDifference({
        picture: cover?.bytes,
        crop: meta.cover.pic_crop_235_1,
        file: path.join(dir, meta.cover.wide),
        width: 900,
        height: 383,
      }),
    ).toBeLessThan(3)
    expect(
      await cropDifference({
        picture: cover?.bytes,
        crop: meta.cover.pic_crop_1_1,
        file: path.join(dir, meta.cover.square),
        width: 400,
        height: 400,
      }),
    ).toBeLessThan(3)
    expect(await pushesOf(harbour.id)).toEqual([
      expect.objectContaining({
        action: 'add',
        status: 'pushed',
        mediaId: pushed.mediaId,
        storyVersion: 1,
        appId: APP_ID,
        characters: pushed.article.characters,
        bytes: pushed.article.bytes,
        by: editor.id,
      }),
    ])
  })

  it('sends a correction to the same draft (draft/update), uploading no image again', async () => {
    const [first] = await pushesOf(harbour.id)
    const uploads = uploadRequests()
    await payload.update({
      collection: collectionSlugs.stories,
      id: harbour.id,
      data: {
        stage: 'corrected',
        corrections: [{ note: '更正：吞吐量数字有误', at: new Date().toISOString() }],
        body: savedState(
          root(
            paragraph(text('更正后的第一段：江州港区的清晨。')),
            upload({ id: 'u1', value: mediaIdOf(harbour, 'u1'), caption: '夜班工人在码头作业' }),
          ),
        ),
      },
      context: { isSeed: true },
    })
    const pushed = await pushWechatDraft({
      payload,
      story: harbour.id,
      user: editor,
      settings,
      mediaDir: kitchen.mediaDir,
    })
    expect(pushed).toMatchObject({ action: 'update', mediaId: first?.mediaId, storyVersion: 2 })
    expect(
      server.requests.filter((request) => request.path === '/cgi-bin/draft/update' && request.errcode === 0),
    ).toHaveLength(1)
    expect(server.drafts.get(first?.mediaId ?? '')?.[0]?.content).toContain('更正后的第一段')
    expect(uploadRequests()).toBe(uploads)
    expect((await pushesOf(harbour.id)).map((push) => [push.action, push.storyVersion])).toEqual([
      ['update', 2],
      ['add', 1],
    ])
  })

  it('records a push WeChat refuses half-way with its reason, and the retry uploads no image twice', async () => {
    const photo = await addImage({
      bytes: await noiseJpeg({ width: 1200, height: 800 }),
      name: 'workshop.jpg',
    })
    const story = await addStory({
      title: '车间里的技能比武',
      heroImage: photo,
      body: root(
        paragraph(text('比武现场气氛热烈。')),
        upload({ id: 'u1', value: photo, caption: '比武现场' }),
      ),
    })
    const uploads = uploadRequests()
    server.failNext({ path: '/cgi-bin/draft/add', errcode: 45009 })
    const error = await pushWechatDraft({
      payload,
      story: story.id,
      user: editor,
      settings,
      mediaDir: kitchen.mediaDir,
    }).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(WechatApiError)
    expect(error).toMatchObject({ errcode: 45009 })
    expect(uploadRequests()).toBe(uploads + 2)
    const [failed] = await pushesOf(story.id)
    expect(failed).toMatchObject({ status: 'failed', action: 'add', error: expect.stringContaining('上限') })
    const retried = await pushWechatDraft({
      payload,
      story: story.id,
      user: editor,
      settings,
      mediaDir: kitchen.mediaDir,
    })
    expect(retried).toMatchObject({ action: 'add', uploaded: { body: 0, cover: 0 } })
    expect(uploadRequests()).toBe(uploads + 2)
    expect(server.drafts.has(retried.mediaId)).toBe(true)
    expect((await pushesOf(story.id)).map((push) => push.status)).toEqual(['pushed', 'failed'])
  })

  it('fetches a new access_token when WeChat says the one held has expired', async () => {
    const client = createWechatClient({ appId: APP_ID, secret: SECRET, apiBase: server.url })
    await pushWechatDraft({ payload, story: seeded.id, settings, client, mediaDir: kitchen.mediaDir })
    const tokenCalls = server.requests.filter((request) => request.path === '/cgi-bin/token').length
    server.expireTokens()
    const pushed = await pushWechatDraft({
      payload,
      story: seeded.id,
      settings,
      client,
      mediaDir: kitchen.mediaDir,
    })
    expect(pushed.action).toBe('update')
    expect(server.requests.filter((request) => request.path === '/cgi-bin/token').length).toBe(tokenCalls + 1)
    expect(server.requests.some((request) => request.errcode === 42001)).toBe(true)
  })
})

describe('the endpoints', () => {
  const call = ({
    method,
    id,
    tail,
    token,
  }: {
    method: 'GET' | 'POST'
    id: number
    tail: string[]
    token?: string
  }) =>
    kitchen.api.rest[method](
      new Request(`http://kitchen.test/api/stories/${id}/${tail.join('/')}`, {
        method,
        headers: token ? { authorization: `JWT ${token}` } : {},
      }),
      { params: Promise.resolve({ slug: ['stories', String(id), ...tail] }) },
    )

  it('GET /api/stories/:id/wechat: a zip of the folder for staff, 401 for anyone else', async () => {
    for (const token of [tokens.reporter, tokens.editor]) {
      const response = await call({ method: 'GET', id: seeded.id, tail: ['wechat'], token })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/zip')
      const files = Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())))
      expect(files).toEqual(
        expect.arrayContaining([`wechat-${seeded.slug}/article.html`, `wechat-${seeded.slug}/meta.json`]),
      )
    }
    const anonymous = await call({ method: 'GET', id: seeded.id, tail: ['wechat'] })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({
      error: 'unauthorized',
      reasonZh: '请登录后导出或推送公众号',
    })
  })

  it('POST /api/stories/:id/wechat/push: editors push; 401, 403, 503 unconfigured, 422 over a limit, 502 when WeChat refuses', async () => {
    const push = (token?: string, id = seeded.id) =>
      call({ method: 'POST', id, tail: ['wechat', 'push'], token })
    expect((await push()).status).toBe(401)
    const reporter = await push(tokens.reporter)
    expect(reporter.status).toBe(403)
    expect(await reporter.json()).toMatchObject({ error: 'forbidden' })
    const unconfigured = await push(tokens.editor)
    expect(unconfigured.status).toBe(503)
    expect(await unconfigured.json()).toMatchObject({
      error: 'unavailable',
      reasonZh: expect.stringContaining('公众号未配置'),
    })
    process.env.HONGYAN_WECHAT_APPID = APP_ID
    process.env.HONGYAN_WECHAT_SECRET = SECRET
    process.env.HONGYAN_WECHAT_API_BASE = server.url
    try {
      const ok = await push(tokens.editor)
      expect(ok.status).toBe(200)
      const [latest] = await pushesOf(seeded.id)
      expect(await ok.json()).toEqual({ mediaId: latest?.mediaId, action: 'update', storyVersion: 1 })
      await payload.update({
        collection: collectionSlugs.stories,
        id: seeded.id,
        data: { wechat: { digest: '长'.repeat(130) } },
        context: { isSeed: true },
      })
      const over = await push(tokens.editor)
      expect(over.status).toBe(422)
      expect(await over.json()).toMatchObject({
        error: 'unprocessable',
        reasonZh: expect.stringContaining('摘要 130 字，超出公众号上限 120 字 10 字'),
        limits: [{ field: 'digest', limit: 120, actual: 130, over: 10 }],
      })
      await payload.update({
        collection: collectionSlugs.stories,
        id: seeded.id,
        data: { wechat: { digest: null } },
        context: { isSeed: true },
      })
      server.failNext({ path: '/cgi-bin/draft/update', errcode: 45009 })
      const refused = await push(tokens.editor)
      expect(refused.status).toBe(502)
      expect(await refused.json()).toMatchObject({
        error: 'bad_gateway',
        errcode: 45009,
        reasonZh: expect.stringContaining('上限'),
      })
    } finally {
      delete process.env.HONGYAN_WECHAT_APPID
      delete process.env.HONGYAN_WECHAT_SECRET
      delete process.env.HONGYAN_WECHAT_API_BASE
    }
  })
})

describe('npm run export:wechat', () => {
  it('prints the size and the folder, and refuses in one line with exit code 1', async () => {
    const run = async (args: string[]) => {
      const cli = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/exportWechat.ts', ...args, '--out', outDir],
        {
          cwd: projectRoot,
          env: { ...process.env, DATABASE_URL: kitchen.databaseUrl, HONGYAN_MEDIA_DIR: kitchen.mediaDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let stdout = ''
      let stderr = ''
      cli.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
      })
      cli.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
      })
      const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve))
      return { code, stdout, stderr }
    }
    const done = await run(['--story', String(seeded.slug)])
    expect(done.code).toBe(0)
    expect(done.stdout).toMatch(/正文 \d+ 字符 \/ \d+ 字节.*汉字 \d+（网页正文 \d+）/)
    expect(done.stdout).toContain(
      `→ ${path.relative(projectRoot, path.join(outDir, `wechat-${seeded.slug}`))}`,
    )
    const bare = await storyTitled('没有图片的稿件')
    const refused = await run(['--story', String(bare.id)])
    expect(refused.code).toBe(1)
    expect(
      refused.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('hongyan:')),
    ).toEqual([
      expect.stringMatching(/^hongyan: 公众号图文必须有封面图：.* \/ WeChat requires a cover image/),
    ])
  }, 120_000)
})

/** What WeChat's editor keeps of an article's markup: these tags, inline styles, and an image's source and alt text. */
const ALLOWED_TAGS = [
  'section',
  'p',
  'h2',
  'h3',
  'h4',
  'blockquote',
  'ul',
  'li',
  'img',
  'span',
  'strong',
  'em',
  'br',
]
const ALLOWED_ATTRIBUTES: Record<string, string[]> = { img: ['src', 'alt', 'style'] }

type Parse5Node = {
  nodeName: string
  tagName?: string
  attrs?: { name: string; value: string }[]
  value?: string
  childNodes?: Parse5Node[]
}

function elementsOf(node: unknown): { tagName: string; attrs: { name: string; value: string }[] }[] {
  const found: { tagName: string; attrs: { name: string; value: string }[] }[] = []
  const walk = (at: Parse5Node) => {
    if (at.tagName) found.push({ tagName: at.tagName, attrs: at.attrs ?? [] })
    for (const child of at.childNodes ?? []) walk(child)
  }
  walk(node as Parse5Node)
  return found
}

/** The text a reader sees in an HTML fragment (parse5's text nodes, entities decoded). */
function textOf(html: string): string {
  const parts: string[] = []
  const walk = (at: Parse5Node) => {
    if (at.nodeName === '#text') parts.push(at.value ?? '')
    for (const child of at.childNodes ?? []) walk(child)
  }
  walk(parseFragment(html) as unknown as Parse5Node)
  return parts.join('')
}

const hanOf = (value: string): string[] => value.match(/\p{Script=Han}/gu) ?? []

/** The text of a story's body as stored (every text node of the Lexical JSON). */
function bodyText(story: Story): string {
  const parts: string[] = []
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return
    const { type, text: value, children } = node as { type?: string; text?: unknown; children?: unknown[] }
    if (type === 'text' && typeof value === 'string') parts.push(value)
    for (const child of children ?? []) walk(child)
  }
  walk(story.body?.root)
  return parts.join('\n')
}

/** What of `wanted` is not found in `within` in the same order. */
function missingInOrder({ wanted, within }: { wanted: string[]; within: string[] }): string[] {
  const missing: string[] = []
  let at = 0
  for (const char of wanted) {
    const found = within.indexOf(char, at)
    if (found < 0) missing.push(char)
    else at = found + 1
  }
  return missing
}

async function noiseJpeg({ width, height }: { width: number; height: number }): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer()
}

/** A 2400×1600 blue picture with its subject, a red disc of radius 160, at (`x`, `y`) of its width and height. */
async function subjectAt({ x, y }: { x: number; y: number }): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="1600"><rect width="2400" height="1600" fill="#1040c0"/><circle cx="${2400 * x}" cy="${1600 * y}" r="160" fill="#ff0000"/></svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer()
}

async function transparentPng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><circle cx="400" cy="300" r="250" fill="#2a9d8f"/></svg>`
  return sharp(Buffer.from(svg)).png().toBuffer()
}

/** The share of clearly red pixels of a picture. */
async function redShare(file: string): Promise<number> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
  let red = 0
  for (let at = 0; at < data.length; at += info.channels) {
    if ((data[at] ?? 0) > 160 && (data[at + 2] ?? 0) < 110) red += 1
  }
  return red / (info.width * info.height)
}

async function shapeOf(file: string) {
  const { format, width, height } = await sharp(file).metadata()
  return { format, width, height }
}

/** Mean difference per channel (0–255) between WeChat's cut of `picture` by `crop` and the export's `file`. */
async function cropDifference({
  picture,
  crop,
  file,
  width,
  height,
}: {
  picture: Buffer | undefined
  crop: string
  file: string
  width: number
  height: number
}): Promise<number> {
  if (!picture) return Number.POSITIVE_INFINITY
  const { width: w = 0, height: h = 0 } = await sharp(picture).metadata()
  const [x1 = 0, y1 = 0, x2 = 1, y2 = 1] = crop.split('_').map(Number)
  const region = {
    left: Math.round(x1 * w),
    top: Math.round(y1 * h),
    width: Math.round((x2 - x1) * w),
    height: Math.round((y2 - y1) * h),
  }
  const cut = await sharp(picture).extract(region).resize({ width, height, fit: 'fill' }).raw().toBuffer()
  const exported = await sharp(file).raw().toBuffer()
  let sum = 0
  for (let at = 0; at < cut.length; at += 1) sum += Math.abs((cut[at] ?? 0) - (exported[at] ?? 0))
  return sum / cut.length
}

async function addImage({
  bytes,
  name,
  mimetype = 'image/jpeg',
  focalX,
  focalY,
}: {
  bytes: Buffer
  name: string
  mimetype?: string
  focalX?: number
  focalY?: number
}): Promise<number> {
  const doc = await payload.create({
    collection: collectionSlugs.media,
    data: {
      alt: `测试图片 ${name}`,
      caption: `图说 ${name}`,
      credit: '鸿雁测试',
      ...(focalX === undefined ? {} : { focalX, focalY }),
    },
    file: { data: bytes, mimetype, name, size: bytes.length },
    context: { isSeed: true },
  })
  return doc.id
}

async function addStory({
  title,
  heroImage,
  body = root(paragraph(text('这是一篇用于测试公众号导出的稿件，正文只有一段。'))),
  embargoUntil,
}: {
  title: string
  heroImage?: number
  body?: ReturnType<typeof root>
  embargoUntil?: string
}): Promise<Story> {
  const [section] = (await payload.find({ collection: collectionSlugs.sections, limit: 1, depth: 0 })).docs
  const created = await payload.create({
    collection: collectionSlugs.stories,
    data: {
      title,
      kicker: '劳动者风采',
      subtitle: '白沙港区见闻',
      summary: '港区工人的一天。',
      section: section?.id as number,
      ...(heroImage ? { heroImage } : {}),
      ...(embargoUntil ? { embargoUntil } : {}),
      byline: { text: '本报记者 王晓燕 通讯员 李强' },
      body: savedState(body) as never,
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
    },
    context: { isSeed: true },
  })
  return payload.findByID({ collection: collectionSlugs.stories, id: created.id, depth: 0 })
}

async function storyTitled(title: string): Promise<Story> {
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { title: { equals: title } },
    depth: 0,
    draft: true,
    limit: 1,
  })
  const story = docs[0]
  if (!story) throw new Error(`no story titled ${title}`)
  return story
}

async function storyOf({ stage }: { stage: Story['stage'] }): Promise<Story> {
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { stage: { equals: stage } },
    depth: 0,
    draft: true,
    limit: 1,
  })
  const story = docs[0]
  if (!story) throw new Error(`no ${stage} story`)
  return story
}

function exportOf(story: string | number) {
  return exportWechatArticle({ payload, story, outDir, mediaDir: kitchen.mediaDir })
}

/** The media id of the body upload node `id` of a story (depth 0). */
function mediaIdOf(story: Story, id: string): number {
  const nodes =
    (story.body?.root as { children?: { id?: string; value?: unknown }[] } | undefined)?.children ?? []
  const value = nodes.find((node) => node.id === id)?.value
  return typeof value === 'object' && value ? (value as { id: number }).id : Number(value)
}

async function pushesOf(story: number): Promise<WechatPush[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.wechatPushes,
    where: { story: { equals: story } },
    sort: '-createdAt',
    depth: 0,
    limit: 50,
  })
  return docs
}

/** Image uploads WeChat took: body images and permanent ones. */
function uploadRequests(): number {
  return server.requests.filter(
    (request) =>
      (request.path === '/cgi-bin/media/uploadimg' || request.path === '/cgi-bin/material/add_material') &&
      request.errcode === 0,
  ).length
}
