import { describe, expect, it } from 'vitest'
import { houseRights } from '../../cms/channels/house.ts'
import { absoluteHtml, safeHref } from '../../cms/channels/html.ts'
import { UnknownLexicalNodeError } from '../../cms/channels/lexical/nodes.ts'
import { lexicalToHtml } from '../../cms/channels/lexical/toHtml.ts'
import { lexicalToText } from '../../cms/channels/lexical/toText.ts'
import { pictureHtml } from '../../cms/channels/picture.ts'
import type { Story } from '../../cms/payload-types.ts'
import { plateStory } from '../../cms/publishing/plate/plateStory.ts'
import { heading, paragraph, quote, root, text } from '../../cms/seed/lexicalNodes.ts'

const media = {
  id: 7,
  alt: '焊工在船坞作业',
  caption: '默认图说',
  credit: '记者 王晓燕 摄',
  filename: 'weld.jpg',
  mimeType: 'image/jpeg',
  width: 3000,
  height: 2000,
  filesize: 900_000,
  sizes: {
    thumbnail: {
      filename: 'weld-320.webp',
      mimeType: 'image/webp',
      width: 320,
      height: 213,
      filesize: 9_000,
    },
    card: { filename: 'weld-768.webp', mimeType: 'image/webp', width: 768, height: 512, filesize: 40_000 },
    hero: {
      filename: 'weld-1600.webp',
      mimeType: 'image/webp',
      width: 1600,
      height: 1067,
      filesize: 120_000,
    },
    heroAvif: {
      filename: 'weld-1600.avif',
      mimeType: 'image/avif',
      width: 1600,
      height: 1067,
      filesize: 80_000,
    },
    og: { filename: 'weld-og.webp', mimeType: 'image/webp', width: 1200, height: 630, filesize: 50_000 },
  },
}

const noResolvers = { image: () => null, storyPath: () => null }

/** A body with every node the story editor offers. */
const everyNode = root(
  paragraph(
    text('普通'),
    text('加粗', 1),
    text('斜体', 2),
    text('下划线', 8),
    text('删除', 4),
    text('代码', 16),
    text('下标', 32),
    text('上标', 64),
    { type: 'linebreak' },
    text('换行后'),
    { type: 'tab' },
    text('制表'),
  ),
  heading('h2', text('二级标题')),
  heading('h3', text('三级标题')),
  heading('h4', text('四级标题')),
  quote(text('引言一句')),
  { type: 'list', listType: 'bullet', children: [{ type: 'listitem', children: [text('要点甲')] }] },
  {
    type: 'list',
    listType: 'number',
    start: 3,
    children: [
      { type: 'listitem', children: [text('第三步')] },
      { type: 'listitem', children: [text('第四步')] },
    ],
  },
  paragraph(
    { type: 'link', fields: { linkType: 'custom', url: 'https://www.acftu.org/' }, children: [text('全总')] },
    { type: 'autolink', fields: { url: 'mailto:news@example.cn' }, children: [text('来信')] },
    {
      type: 'link',
      fields: { linkType: 'internal', doc: { relationTo: 'stories', value: { id: 3, slug: 'lao-mo' } } },
      children: [text('相关报道')],
    },
  ),
  { type: 'horizontalrule' },
  { type: 'upload', relationTo: 'media', value: media, fields: { caption: '船坞里的焊工' } },
)

function storyDoc(overrides: Partial<Story> = {}): Story {
  return {
    id: 42,
    title: '陈海生：把焊缝焊成“免检产品”',
    slug: 'chen-hai-sheng',
    section: { id: 1, name: '劳模风采', slug: 'lao-mo-feng-cai', order: 1, createdAt: '', updatedAt: '' },
    body: { root: everyNode } as unknown as Story['body'],
    heroImage: media as unknown as Story['heroImage'],
    publishedAt: '2026-11-01T02:00:00.000Z',
    createdAt: '2026-10-30T02:00:00.000Z',
    updatedAt: '2026-11-02T02:00:00.000Z',
    ...overrides,
  } as Story
}

describe('Lexical → HTML', () => {
  const html = plateStory({ doc: storyDoc(), rights: houseRights }).bodyHtml

  it('renders every node the story editor offers', () => {
    expect(html).toContain(
      '<p>普通<strong>加粗</strong><em>斜体</em><u>下划线</u><s>删除</s><code>代码</code><sub>下标</sub><sup>上标</sup><br>换行后 制表</p>',
    )
    expect(html).toContain('<h2>二级标题</h2><h3>三级标题</h3><h4>四级标题</h4>')
    expect(html).toContain('<blockquote><p>引言一句</p></blockquote>')
    expect(html).toContain('<ul><li>要点甲</li></ul><ol start="3"><li>第三步</li><li>第四步</li></ol>')
    expect(html).toContain('<a href="https://www.acftu.org/" rel="noopener noreferrer">全总</a>')
    expect(html).toContain('<a href="mailto:news@example.cn">来信</a>')
    expect(html).toContain('<a href="/stories/lao-mo/">相关报道</a>')
    expect(html).toContain('<hr>')
    expect(html).toContain(
      '<figure><picture><source type="image/avif" srcset="/media/weld-1600.avif 1600w" sizes="(min-width: 48rem) 42rem, 100vw">' +
        '<source type="image/webp" srcset="/media/weld-320.webp 320w, /media/weld-768.webp 768w, /media/weld-1600.webp 1600w" sizes="(min-width: 48rem) 42rem, 100vw">' +
        '<img src="/media/weld-768.webp" alt="焊工在船坞作业" width="768" height="512" loading="lazy" decoding="async"></picture>' +
        '<figcaption>船坞里的焊工 <span class="credit">记者 王晓燕 摄</span></figcaption></figure>',
    )
  })

  it('refuses a node it has no renderer for instead of dropping it', () => {
    const table = root({ type: 'table', children: [] })
    expect(() => lexicalToHtml({ root: table, resolve: noResolvers })).toThrow(UnknownLexicalNodeError)
    expect(() => lexicalToText({ root: table })).toThrow(/no renderer for the Lexical node "table"/)
  })

  it('keeps the words of a link to an unpublished story and drops only the link', () => {
    const body = root(
      paragraph({
        type: 'link',
        fields: { linkType: 'internal', doc: { value: 17 } },
        children: [text('草稿')],
      }),
    )
    expect(lexicalToHtml({ root: body, resolve: noResolvers })).toBe('<p>草稿</p>')
  })

  it('makes links and images absolute for outlets that need it', () => {
    expect(absoluteHtml({ html, baseUrl: 'https://news.example.cn/' })).toContain(
      'srcset="https://news.example.cn/media/weld-320.webp 320w, https://news.example.cn/media/weld-768.webp 768w',
    )
    expect(absoluteHtml({ html, baseUrl: 'https://news.example.cn' })).toContain(
      '<a href="https://news.example.cn/stories/lao-mo/">',
    )
    expect(absoluteHtml({ html, baseUrl: 'https://news.example.cn' })).not.toMatch(/(href|src)="\//)
  })
})

describe('pictures', () => {
  it('offers small pictures (cards, portraits) as WebP only, never the hero-width AVIF', () => {
    const plate = plateStory({ doc: storyDoc(), rights: houseRights })
    if (!plate.hero) throw new Error('no hero')
    const small = pictureHtml({ image: plate.hero, sizes: '7.5rem', isSmall: true })
    expect(small).not.toContain('image/avif')
    expect(small).toContain(
      'srcset="/media/weld-320.webp 320w, /media/weld-768.webp 768w, /media/weld-1600.webp 1600w"',
    )
    expect(pictureHtml({ image: plate.hero, sizes: '100vw' })).toContain('<source type="image/avif"')
  })
})

describe('hostile input is inert', () => {
  const hostileText = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '"><svg onload=alert(1)>',
    "'; background:url(javascript:alert(1))",
  ]

  it.each(hostileText)('escapes %s in titles and body text', (attack) => {
    const doc = storyDoc({
      title: attack,
      kicker: attack,
      body: { root: root(paragraph(text(attack))) } as unknown as Story['body'],
    })
    const plate = plateStory({ doc, rights: houseRights })
    const inside = plate.bodyHtml.replace(/^<p>|<\/p>$/g, '')
    // No character that could open a tag or leave an attribute survives unescaped.
    expect(inside).not.toMatch(/[<>"']/)
    expect(
      inside
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&amp;', '&'),
    ).toBe(attack)
    expect(plate.bodyText).toBe(attack)
    // Titles stay text on the plate; every outlet escapes them when it writes markup.
    expect(plate.title).toBe(attack)
  })

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '//evil.example/x',
  ])('drops the link target %s and keeps its words', (url) => {
    const body = root(
      paragraph({ type: 'link', fields: { linkType: 'custom', url }, children: [text('点这里')] }),
    )
    expect(lexicalToHtml({ root: body, resolve: noResolvers })).toBe('<p>点这里</p>')
    expect(safeHref(url)).toBeNull()
  })

  it('escapes quotes in a link target so it cannot open an attribute', () => {
    const body = root(
      paragraph({
        type: 'link',
        fields: { url: 'https://example.cn/?q="onmouseover="alert(1)' },
        children: [text('x')],
      }),
    )
    const html = lexicalToHtml({ root: body, resolve: noResolvers })
    expect(html).toBe(
      '<p><a href="https://example.cn/?q=%22onmouseover=%22alert(1)" rel="noopener noreferrer">x</a></p>',
    )
  })

  it('strips control characters and repairs lone surrogates', () => {
    const body = root(paragraph(text('劳模\u0000精神\u0008\ud800传承')))
    expect(lexicalToHtml({ root: body, resolve: noResolvers })).toBe('<p>劳模精神\ufffd传承</p>')
  })
})

describe('the plate of a story', () => {
  it('carries ids, paths, counts and a version that corrections bump', () => {
    const plate = plateStory({
      doc: storyDoc({
        corrections: [{ id: 'a', note: '更正：年份应为1995年', at: '2026-11-03T01:00:00.000Z' }],
      }),
      rights: houseRights,
    })
    expect(plate.guid).toBe('urn:hongyan:story:42')
    expect(plate.path).toBe('/stories/chen-hai-sheng/')
    expect(plate.version).toBe(2)
    expect(plate.updatedAt).toBe('2026-11-03T01:00:00.000Z')
    expect(plate.images.map((image) => image.id)).toEqual([7])
    expect(plate.hero?.renditions.find((r) => r.name === 'og')).toMatchObject({ width: 1200, height: 630 })
    expect(plate.section).toEqual({
      id: 1,
      name: '劳模风采',
      slug: 'lao-mo-feng-cai',
      description: null,
      order: 1,
    })
    expect(plate.bodyText.split('\n\n')).toEqual([
      '普通加粗斜体下划线删除代码下标上标\n换行后 制表',
      '二级标题',
      '三级标题',
      '四级标题',
      '引言一句',
      '要点甲',
      '第三步',
      '第四步',
      '全总来信相关报道',
    ])
  })

  it('leaves out relations the public could not read (only an id came back)', () => {
    const plate = plateStory({
      doc: storyDoc({ heroImage: 5, people: [3, 4], section: 2, body: null }),
      rights: houseRights,
    })
    expect(plate.hero).toBeNull()
    expect(plate.people).toEqual([])
    expect(plate.section).toBeNull()
    expect(plate.bodyHtml).toBe('')
  })
})
