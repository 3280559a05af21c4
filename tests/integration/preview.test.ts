import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultHouseStyles } from '../../cms/channels/print/houseStyles.ts'
import { servePartnerFeed } from '../../cms/publishing/partnerFeed/servePartnerFeed.ts'
import { searchStories } from '../../cms/publishing/search/searchQuery.ts'
import { liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { filesOf } from '../helpers/builtSite.ts'
import {
  DRAFT_TITLE,
  DRAFT_WORD,
  type PreviewKitchen,
  PUBLISHED_TITLE,
  startPreviewKitchen,
} from '../helpers/previewKitchen.ts'

const SITE_URL = 'https://news.hongyan.example.cn'

let kitchen: PreviewKitchen['kitchen']
let staff: PreviewKitchen['staff']
let otherReporter: PreviewKitchen['otherReporter']
let partnerKey: PreviewKitchen['partnerKey']
let story: PreviewKitchen['story']
let hero: PreviewKitchen['hero']
let publishedVersionId: PreviewKitchen['publishedVersionId']
let call: PreviewKitchen['call']
let distDir: string

beforeAll(async () => {
  ;({ kitchen, staff, otherReporter, partnerKey, story, hero, publishedVersionId, call } =
    await startPreviewKitchen())
}, 600_000)

afterAll(async () => {
  if (distDir) await rm(distDir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

const preview = (outlet: string, token?: string, query = '') =>
  call({ path: `/api/stories/${story.id}/preview/${outlet}${query}`, token })

describe('each outlet shows the draft', () => {
  it('网站: the site’s own story page with the draft’s title, its images at staff-only URLs, never indexed', async () => {
    const response = await preview('web', staff.tokens.editor)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    expect(html).toContain(`<h1>${DRAFT_TITLE}</h1>`)
    expect(html).toContain(DRAFT_WORD)
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">')
    // The site's template: its stylesheet inlined, its masthead and footer.
    expect(html).toMatch(/<style[^>]*>[^<]*\.story/)
    expect(html).toContain('鸿雁职工新闻')
    const heroFile = String(hero.sizes?.hero?.filename)
    expect(html).toContain(`/api/media/file/${encodeURIComponent(heroFile)}`)
    expect(html).not.toMatch(/["\s,]\/media\//)
    // The page's own links lead to the public site, in a new tab.
    expect(html).toMatch(/<a href="https?:\/\/[^"/]+\/sections\/[^"]+\/">/)
    expect(html).not.toMatch(/\shref="\/(?!\/)/)
    expect(html).toContain('<base target="_blank">')
  })

  it('RSS: the <item> as /rss.xml would carry it', async () => {
    const response = await preview('rss', staff.tokens.editor)
    expect(response.status).toBe(200)
    const xml = await response.text()
    expect(xml).toMatch(/^<item><title><!\[CDATA\[港口装卸工的节能小发明获国家专利/)
    expect(xml).toContain(`<guid isPermaLink="false">urn:hongyan:story:${story.id}</guid>`)
    expect(xml).toContain(DRAFT_WORD)
    expect(xml).toContain('<content:encoded>')
    expect(xml).toMatch(/<\/item>$/)
  })

  it('ninjs: the item a partner receives', async () => {
    const response = await preview('ninjs', staff.tokens.editor)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const item = (await response.json()) as { uri: string; headlines: { role: string; value: string }[] }
    expect(item.uri).toBe(`urn:hongyan:story:${story.id}`)
    expect(item.headlines[0]).toEqual({ role: 'main', value: DRAFT_TITLE })
    expect(JSON.stringify(item)).toContain(DRAFT_WORD)
  })

  it('报纸: the text with the column’s house styles, fitted to a chosen column’s slot', async () => {
    const column = await kitchen.payload.create({
      collection: collectionSlugs.columns,
      data: {
        name: '预览测试专栏',
        slug: 'yulan-ceshi',
        newspaper: '江州日报',
        frequency: 'weekly',
        geometry: { slotBudget: 600, imageWidthMm: 80, colourMode: 'grayscale' },
        styles: { ...defaultHouseStyles, title: '一号主题' },
      },
    })
    const html = await (await preview('print', staff.tokens.editor, `?column=${column.id}`)).text()
    expect(html).toContain('<h1>报纸 · 预览测试专栏（江州日报）</h1>')
    expect(html).toMatch(/data-print-fit>正文 \d+ \/ 600 字，余 \d+ 字</)
    expect(html).toContain(`<span class="style">一号主题</span><span>${DRAFT_TITLE}</span>`)
    expect(html).toContain(`<span class="style">图说</span><span>图说：${DRAFT_WORD}</span>`)
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">')
  })

  it('公众号: the WeChat article with the kitchen’s image URLs', async () => {
    const html = await (await preview('wechat', staff.tokens.editor)).text()
    expect(html).toContain(`<h1>${DRAFT_TITLE}</h1>`)
    expect(html).toContain(DRAFT_WORD)
    expect(html).toMatch(/<img [^>]*src="\/api\/media\/file\/[^"]+"/)
    expect(html).toContain('<meta name="robots" content="noindex">')
  })

  it('电视: the script rows and duration at the programme’s pace', async () => {
    const html = await (await preview('tv', staff.tokens.editor)).text()
    expect(html).toContain(DRAFT_TITLE)
    expect(html).toMatch(/data-tv-fit>时长 \d+分\d{2}秒 \/ \d+分\d{2}秒，余 \d+ 秒</)
    expect(html).toMatch(/语速 \d+ 字\/分钟/)
    expect(html).toContain(`草稿新增一段：${DRAFT_WORD}`)
  })

  it('报纸 and 电视 use the slot and the segment the story is planned in', async () => {
    const { payload } = kitchen
    const [column] = (await payload.find({ collection: collectionSlugs.columns, sort: 'name', limit: 1 }))
      .docs
    const [programme] = (await payload.find({ collection: collectionSlugs.tvProgrammes, limit: 1 })).docs
    if (!column || !programme) throw new Error('the demo seed has no column or programme')
    await payload.create({
      collection: collectionSlugs.columnIssues,
      data: {
        title: '预览测试期',
        column: column.id,
        issueDate: '2027-03-01T00:00:00.000+08:00',
        slots: [{ story: story.id, budget: 500, printTitle: '见报标题：节能小发明' }],
      },
      context: { skipFit: true },
    })
    await payload.create({
      collection: collectionSlugs.tvEpisodes,
      data: {
        title: '预览测试节目',
        programme: programme.id,
        airDate: '2027-03-06T00:00:00.000+08:00',
        segments: [{ story: story.id, budgetSeconds: 90, tvTitle: '节能小发明' }],
      },
      context: { skipFit: true },
    })
    const print = await (await preview('print', staff.tokens.editor)).text()
    expect(print).toContain('data-print-slot>已排入 预览测试期（见报 2027年3月1日）第 1 版位')
    expect(print).toMatch(/data-print-fit>正文 \d+ \/ 500 字/)
    expect(print).toContain('见报标题：节能小发明')
    const tv = await (await preview('tv', staff.tokens.editor)).text()
    expect(tv).toContain('data-tv-segment>已排入 预览测试节目（播出 2027年3月6日）第 1 条')
    expect(tv).toMatch(/data-tv-fit>时长 \d+分\d{2}秒 \/ 1分30秒/)
  })

  it('shows any saved version: the published one has the published title', async () => {
    const versions = (await (
      await call({ path: `/api/stories/${story.id}/preview-versions`, token: staff.tokens.reporter })
    ).json()) as { versions: { id: number; status: string; title: string }[] }
    expect(versions.versions.length).toBeGreaterThanOrEqual(2)
    expect(versions.versions[0]).toMatchObject({ status: 'draft', title: DRAFT_TITLE })
    expect(versions.versions.map((version) => version.id)).toContain(publishedVersionId)
    const response = await preview('web', staff.tokens.editor, `?version=${publishedVersionId}`)
    expect(response.headers.get('x-hongyan-version')).toBe(String(publishedVersionId))
    const html = await response.text()
    expect(html).toContain(`<h1>${PUBLISHED_TITLE}</h1>`)
    expect(html).not.toContain(DRAFT_WORD)
    expect((await preview('web', staff.tokens.editor, '?version=999999')).status).toBe(404)
    expect((await preview('web', staff.tokens.editor, '?version=abc')).status).toBe(400)
    expect((await preview('fax', staff.tokens.editor)).status).toBe(404)
  })

  it('the tab page Payload’s live preview frames: every outlet’s tab, ready for the admin’s messages', async () => {
    const response = await call({ path: `/api/stories/${story.id}/preview`, token: staff.tokens.reporter })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
    const html = await response.text()
    for (const tab of ['网站', 'RSS', 'ninjs', '报纸', '公众号', '电视'])
      expect(html).toContain(`>${tab}</button>`)
    expect(html).toContain("type: 'payload-live-preview', ready: true")
    expect(html).toContain("event.data.type === 'payload-document-event'")
  })
})

describe('who may see the draft', () => {
  const outlets = ['web', 'rss', 'ninjs', 'print', 'wechat', 'tv']

  it('every outlet, every answer: private, no-store and noindex', async () => {
    for (const outlet of outlets) {
      for (const token of [staff.tokens.editor, undefined]) {
        const response = await preview(outlet, token)
        expect(response.headers.get('cache-control')).toMatch(/no-store/)
        expect(response.headers.get('x-robots-tag')).toMatch(/noindex/)
      }
    }
    const ok = await preview('web', staff.tokens.editor)
    expect(ok.headers.get('cache-control')).toBe('private, no-store')
  })

  it('anonymous: 401 for every outlet, the share-link list and a new link', async () => {
    for (const outlet of outlets) {
      const response = await preview(outlet)
      expect(response.status).toBe(401)
      expect(await response.text()).not.toContain(DRAFT_WORD)
    }
    expect((await call({ path: `/api/stories/${story.id}/preview` })).status).toBe(401)
    expect((await call({ path: `/api/stories/${story.id}/preview-versions` })).status).toBe(401)
    expect((await call({ method: 'POST', path: `/api/stories/${story.id}/preview-links` })).status).toBe(401)
    expect(await (await preview('web')).json()).toMatchObject({
      error: 'unauthorized',
      reasonZh: '请登录后预览这篇稿件',
    })
  })

  it('a partner’s key is no session: 401, in the header or the query', async () => {
    for (const outlet of outlets) {
      const bearer = await call({
        path: `/api/stories/${story.id}/preview/${outlet}`,
        headers: { authorization: `Bearer ${partnerKey}` },
      })
      expect(bearer.status).toBe(401)
      expect(await bearer.text()).not.toContain(DRAFT_WORD)
      const query = await call({ path: `/api/stories/${story.id}/preview/${outlet}?key=${partnerKey}` })
      expect(query.status).toBe(401)
    }
  })

  it('another reporter: 403 for every outlet, the versions and the share links', async () => {
    const token = otherReporter.tokens.reporter
    for (const outlet of outlets) {
      const response = await preview(outlet, token)
      expect(response.status).toBe(403)
      expect(await response.text()).not.toContain(DRAFT_WORD)
    }
    expect((await call({ path: `/api/stories/${story.id}/preview-versions`, token })).status).toBe(403)
    expect(
      (await call({ method: 'POST', path: `/api/stories/${story.id}/preview-links`, token })).status,
    ).toBe(403)
    expect(await (await preview('web', token)).json()).toMatchObject({
      error: 'forbidden',
      reasonZh: '只有编辑和稿件作者本人可以预览这篇稿件',
    })
  })

  it('the story’s own reporter and editors see every outlet; an unknown story is 404', async () => {
    for (const token of [staff.tokens.reporter, staff.tokens.editor, staff.tokens.admin]) {
      for (const outlet of outlets) {
        const response = await preview(outlet, token)
        expect(response.status).toBe(200)
        expect(await response.text()).toContain(DRAFT_WORD)
      }
    }
    const missing = await call({ path: '/api/stories/999999/preview/web', token: staff.tokens.editor })
    expect(missing.status).toBe(404)
  })
})

describe('a draft never leaves the kitchen', () => {
  it('after every preview, the site build, its feeds and the partner feeds carry the published words only', async () => {
    for (const outlet of ['web', 'rss', 'ninjs', 'print', 'wechat', 'tv'])
      expect((await preview(outlet, staff.tokens.editor)).status).toBe(200)
    distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-preview-site-'))
    await buildSite({ payload: kitchen.payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL })
    const site = liveSitePath(distDir)
    const page = await readFile(path.join(site, 'stories', String(story.slug), 'index.html'), 'utf8')
    expect(page).toContain(PUBLISHED_TITLE)
    const files = await filesOf(distDir)
    expect(files.some((file) => file.endsWith('rss.xml'))).toBe(true)
    for (const file of files.filter((name) => /\.(html|xml|json|txt)$/.test(name))) {
      const content = await readFile(path.join(distDir, file), 'utf8')
      expect(content, file).not.toContain(DRAFT_WORD)
      expect(content, file).not.toContain('/api/media/file/')
      expect(content, file).not.toContain('/preview/')
    }
    // Search: the published story is found; the draft's words, saved over it, never are.
    expect((await searchStories({ payload: kitchen.payload, term: PUBLISHED_TITLE })).total).toBe(1)
    expect((await searchStories({ payload: kitchen.payload, term: DRAFT_WORD })).total).toBe(0)
    for (const file of ['rss.xml', 'feed.json', 'ninjs.json']) {
      const response = await servePartnerFeed({
        payload: kitchen.payload,
        request: new Request(`http://kitchen.test/feeds/partner/${file}`, {
          headers: { authorization: `Bearer ${partnerKey}` },
        }),
        file,
        siteUrl: SITE_URL,
      })
      expect(response.status).toBe(200)
      const body = await response.text()
      expect(body).toContain(PUBLISHED_TITLE)
      expect(body).not.toContain(DRAFT_WORD)
    }
  }, 300_000)
})
