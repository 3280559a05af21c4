import { type DefaultTreeAdapterMap, parse, parseFragment } from 'parse5'
import { describe, expect, it } from 'vitest'
import { stripControlCharacters } from '../../cms/channels/html.ts'
import type { LexicalNode } from '../../cms/channels/lexical/nodes.ts'
import { blockText, lexicalToBlocks } from '../../cms/channels/lexical/toBlocks.ts'
import type { PlatedImage } from '../../cms/channels/types.ts'
import { buildWechatArticle } from '../../cms/channels/wechat/article.ts'
import { wechatBlocks } from '../../cms/channels/wechat/blocks.ts'
import { wechatDigest } from '../../cms/channels/wechat/digest.ts'
import { checkWechatLimits, WechatLimitError, wechatLimits } from '../../cms/channels/wechat/limits.ts'
import { buildWechatPreviewPage } from '../../cms/channels/wechat/previewPage.ts'
import type { WechatBlock, WechatStory } from '../../cms/channels/wechat/types.ts'
import {
  heading,
  internalLink,
  link,
  list,
  paragraph,
  quote,
  root,
  text,
  upload,
} from '../../cms/seed/lexicalNodes.ts'
import { activeContent, hostileBody, hostileHrefs, hostileStrings } from '../security/hostile.ts'

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

const SITE = 'https://news.hongyan.example.cn'
const SOURCE = `${SITE}/stories/jin-dian-zi/`

/** A plated image; its renditions are the caller's business (`imageSrc`), not the renderer's. */
const plated = (id: number, fields: Partial<PlatedImage> = {}): PlatedImage => ({
  ...{ id, alt: `图${id}`, caption: `图${id}的说明`, credit: `摄影 记者${id}`, width: 1200, height: 800 },
  renditions: [],
  ...fields,
})
const images = new Map([1, 2].map((id) => [id, plated(id, id === 2 ? { caption: null, credit: null } : {})]))

const blocksOf = (body: LexicalNode): WechatBlock[] =>
  wechatBlocks({
    blocks: lexicalToBlocks({ root: body }),
    imageOf: (value) => images.get(Number(value)) ?? null,
  })

function storyOf(body: LexicalNode, fields: Partial<WechatStory> = {}): WechatStory {
  return {
    kicker: '走近劳模',
    title: '劳模工作室里的“金点子”',
    subtitle: '一年攻克技术难题十二项',
    summary: '市总工会命名的劳模创新工作室，一年里攻克了十二项技术难题。',
    author: '王晓燕',
    byline: '记者 王晓燕',
    blocks: blocksOf(body),
    sourceUrl: SOURCE,
    siteOrigin: SITE,
    ...fields,
  }
}

const imageSrc = (image: PlatedImage) => `images/${image.id}.webp`
const build = (story: WechatStory) => buildWechatArticle({ story, imageSrc })

const isElement = (node: Node): node is Element => 'tagName' in node
function elementsOf(node: Node): Element[] {
  const children = 'childNodes' in node ? node.childNodes : []
  return [...(isElement(node) ? [node] : []), ...children.flatMap(elementsOf)]
}
function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value
  const children = 'childNodes' in node ? node.childNodes : []
  return children.map(textOf).join('')
}
const fragment = (html: string) => parseFragment(html) as unknown as Node
/** The article's outer section's children: the head paragraphs, the body, the end mark, 注释. */
const partsOf = (html: string) => {
  const [section] = elementsOf(fragment(html))
  return (section?.childNodes ?? []).filter(isElement)
}
const attribute = (element: Element | undefined, name: string) =>
  element?.attrs.find((a) => a.name === name)?.value

const richBody = root(
  paragraph(text('一段里有'), text('加粗', 1), text('和'), text('倾斜', 2)),
  paragraph(text('又有'), text('加粗倾斜', 3), text('。')),
  paragraph(text('上一行'), { type: 'linebreak' }, text('下一行')),
  heading('h2', text('小标题一')),
  heading('h3', text('小标题二')),
  quote(text('“创新就在岗位上。”')),
  list({ items: ['要点一', '要点二'], listType: 'bullet' }),
  upload({ id: 'u1', value: 1, caption: '陈海生在工作室调试焊枪' }),
  upload({ id: 'u2', value: 2, caption: '' }),
  paragraph(
    text('详见'),
    link({ url: 'https://www.acftu.org/xw/', id: 'l1', children: [text('全总', 1), text('网站')] }),
    text('与'),
    link({ url: '/stories/lao-mo/', id: 'l2', children: [text('劳模名录')] }),
    text('、'),
    link({ url: 'https://www.acftu.org/xw/', id: 'l3', children: [text('同一网址')] }),
    text('和'),
    internalLink({ relationTo: 'stories', value: 9, children: [text('站内稿')] }),
    text('。'),
  ),
)

describe('the WeChat article', () => {
  const article = build(storyOf(richBody))
  const elements = elementsOf(fragment(article.html))

  it('uses only the tags WeChat keeps, each with an inline style and nothing else', () => {
    const allowed = 'section p span strong em h2 h3 h4 blockquote ul ol li img br'.split(' ')
    expect(elements.map((e) => e.tagName).filter((tag) => !allowed.includes(tag))).toEqual([])
    const permitted = (e: Element) => (e.tagName === 'img' ? ['style', 'src', 'alt'] : ['style'])
    const extra = elements.flatMap((e) => e.attrs.filter((a) => !permitted(e).includes(a.name)))
    expect(extra).toEqual([])
    // Every block and mark is styled inline; only the phrase marks and br inherit.
    const unstyled = elements.filter(
      (e) => !['strong', 'em', 'br'].includes(e.tagName) && !attribute(e, 'style'),
    )
    expect(unstyled.map((e) => e.tagName)).toEqual([])
    expect(elements.some((e) => e.tagName === 'a')).toBe(false)
    expect(article.html).not.toMatch(/<(a|style|script|iframe)\b|\b(class|id|on\w+)=/i)
    expect(activeContent(article.html)).toEqual([])
  })

  it('opens with the kicker, subtitle, byline and 导语, and leaves the title to WeChat', () => {
    const head = partsOf(article.html).slice(0, 4).map(textOf)
    const { kicker, subtitle, byline, summary } = storyOf(richBody)
    expect(head).toEqual([kicker, subtitle, byline, summary])
    expect(textOf(fragment(article.html))).not.toContain('金点子')
  })

  it('keeps bold and italic, line breaks, subheads, the quote and the list', () => {
    const texts = (tag: string) => elements.filter((e) => e.tagName === tag).map(textOf)
    expect(texts('strong')).toEqual(['加粗', '加粗倾斜', '全总'])
    expect(texts('em')).toEqual(['倾斜', '加粗倾斜'])
    const broken = elements.find((e) => e.tagName === 'br')?.parentNode as Element
    expect(broken.childNodes.map((n) => (isElement(n) ? `<${n.tagName}>` : textOf(n)))).toEqual([
      '上一行',
      '<br>',
      '下一行',
    ])
    expect(texts('h2')).toEqual(['小标题一'])
    expect(texts('h3')).toEqual(['小标题二'])
    expect(texts('blockquote')).toEqual(['“创新就在岗位上。”'])
    expect(texts('ul')).toEqual(['要点一要点二'])
    expect(texts('li')).toEqual(['要点一', '要点二'])
  })

  it('turns links into their words, a [n] mark and a 注释 list of absolute URLs, one number a URL', () => {
    expect(article.notes).toEqual([
      { number: 1, text: '全总网站', url: 'https://www.acftu.org/xw/' },
      { number: 2, text: '劳模名录', url: `${SITE}/stories/lao-mo/` },
    ])
    const linked = elements.find((e) => e.tagName === 'p' && textOf(e).startsWith('详见'))
    expect(textOf(linked as Element)).toBe('详见全总网站[1]与劳模名录[2]、同一网址[1]和站内稿。')
    const marks = linked?.childNodes.filter((n): n is Element => isElement(n) && n.tagName === 'span')
    expect(marks?.map(textOf)).toEqual(['[1]', '[2]', '[1]'])
    const notes = partsOf(article.html).at(-1) as Element
    expect(notes.childNodes.map(textOf)).toEqual([
      '注释',
      '1. 全总网站：https://www.acftu.org/xw/',
      `2. 劳模名录：${SITE}/stories/lao-mo/`,
    ])
  })

  it('a story without links has no 注释', () => {
    const plain = build(storyOf(root(paragraph(text('没有链接的正文。')))))
    expect(plain.notes).toEqual([])
    expect(textOf(fragment(plain.html))).not.toContain('注释')
  })

  it('sets each image from imageSrc, with its caption (the block’s, else the image’s) and credit under it', () => {
    const imgs = elements.filter((e) => e.tagName === 'img')
    expect(imgs.map((img) => [attribute(img, 'src'), attribute(img, 'alt')])).toEqual([
      ['images/1.webp', '图1'],
      ['images/2.webp', '图2'],
    ])
    expect(attribute(imgs[0], 'style')).toContain('max-width:100%')
    const figures = imgs.map((img) => img.parentNode as Element)
    expect(figures.map((figure) => figure.tagName)).toEqual(['section', 'section'])
    const [first, second] = figures.map((figure) => figure.childNodes.filter(isElement))
    expect(first?.map((e) => e.tagName)).toEqual(['img', 'p'])
    expect(textOf(first?.[1] as Element)).toBe('陈海生在工作室调试焊枪 摄影 记者1')
    // An empty block caption and an image without caption or credit: nothing under it.
    expect(second?.map((e) => e.tagName)).toEqual(['img'])
    const withImageCaption = build(storyOf(root(upload({ id: 'u3', value: 1, caption: '' }))))
    expect(textOf(fragment(withImageCaption.html))).toContain('图1的说明 摄影 记者1')
  })

  it('loses no 汉字 of the body: every one is in the article, in order', () => {
    const bodyText = storyOf(richBody)
      .blocks.map((block) => (block.kind === 'image' ? (block.caption ?? '') : blockText(block)))
      .join('')
    const bodyHan = bodyText.match(/\p{Script=Han}/gu) ?? []
    const articleHan = textOf(fragment(article.html)).match(/\p{Script=Han}/gu) ?? []
    expect(bodyHan.length).toBeGreaterThan(60)
    expect(articleHan.length).toBeGreaterThanOrEqual(bodyHan.length)
    let at = 0
    for (const han of articleHan) if (han === bodyHan[at]) at += 1
    expect(at, `the body's 汉字 up to ${bodyHan.slice(0, at + 1).join('')}`).toBe(bodyHan.length)
  })

  it('measures itself as WeChat does: code points and UTF-8 bytes', () => {
    expect(article.characters).toBe([...article.html].length)
    expect(article.bytes).toBe(Buffer.byteLength(article.html, 'utf8'))
  })
})

describe('hostile input in the WeChat article', () => {
  it.each(hostileStrings)('%s comes out as text in every field', (_name, value) => {
    const body = root(
      paragraph(text(value)),
      paragraph(link({ url: 'https://example.org/', id: 'h1', children: [text(value)] })),
    )
    const story = storyOf(body, { kicker: value, subtitle: value, byline: value, summary: value })
    story.blocks.push({
      kind: 'image',
      image: plated(3, { alt: value, caption: null, credit: value }),
      caption: value,
    })
    const article = buildWechatArticle({ story, imageSrc: () => value })
    const clean = stripControlCharacters(value)
    expect(activeContent(article.html)).toEqual([])
    const parts = partsOf(article.html)
    expect(parts.slice(0, 5).map(textOf)).toEqual([clean, clean, clean, clean, clean].map((t) => t.trim()))
    expect(textOf(parts[5] as Element)).toBe(`${clean}[1]`)
    const img = elementsOf(parts[6] as Element).find((e) => e.tagName === 'img')
    expect([attribute(img, 'src'), attribute(img, 'alt')]).toEqual([clean, clean])
    expect(textOf(parts[6] as Element)).toBe(`${clean} ${clean}`)
    expect(article.notes[0]?.text).toBe(clean.replace(/\s+/g, ' ').trim())
  })

  it.each(hostileHrefs)('a link to %s keeps its words, with no mark and no note', (href) => {
    const fromEditor = lexicalToBlocks({
      root: hostileBody({ value: '正文', hrefs: [href] }).root as LexicalNode,
    })
    const run = { text: '直接的链接', isBold: false, isItalic: false, href }
    const raw: WechatBlock = { kind: 'paragraph', runs: [run] }
    const article = build(storyOf(root(), { blocks: [...(fromEditor as WechatBlock[]), raw] }))
    expect(article.notes).toEqual([])
    expect(textOf(fragment(article.html))).toContain('正文链接0直接的链接■')
    expect(article.html).not.toMatch(/script:|data:/i)
    expect(activeContent(article.html)).toEqual([])
  })
})

describe('WeChat limits', () => {
  const fits = { title: '标', author: '王晓燕', digest: '摘要', content: '<p>正文</p>', sourceUrl: SOURCE }
  const problemsOf = (over: Partial<typeof fits>) =>
    checkWechatLimits({ ...fits, ...over }).map(({ message: _, ...problem }) => problem)

  it('finds nothing wrong with a story within every limit, at the limits too', () => {
    const story = storyOf(richBody)
    expect(checkWechatLimits({ ...fits, title: story.title, content: build(story).html })).toEqual([])
    expect(
      problemsOf({
        title: '字'.repeat(64),
        author: '字'.repeat(8),
        digest: '字'.repeat(120),
        content: '字'.repeat(19_999),
        sourceUrl: `https://a.cn/${'x'.repeat(1011)}`,
      }),
    ).toEqual([])
  })

  it('says by how much a title, an author and a digest are over, in Chinese and English', () => {
    const [title] = checkWechatLimits({ ...fits, title: '劳'.repeat(70) })
    expect(title).toEqual({
      field: 'title',
      limit: 64,
      actual: 70,
      over: 6,
      message: "标题 70 字，超出公众号上限 64 字 6 字 / Title is 70 characters, 6 over WeChat's limit of 64",
    })
    expect(problemsOf({ author: '欧阳修欧阳修欧阳某' })).toEqual([
      { field: 'author', limit: 8, actual: 9, over: 1 },
    ])
    expect(problemsOf({ digest: '摘'.repeat(121) })).toEqual([
      { field: 'digest', limit: 120, actual: 121, over: 1 },
    ])
    // Code points, not UTF-16 units: 64 characters beyond the BMP are a title that fits.
    expect(problemsOf({ title: '𠀀'.repeat(64) })).toEqual([])
  })

  it('refuses content of 20,000 characters or more, markup included, saying how much must go', () => {
    const long = root(...Array.from({ length: 200 }, () => paragraph(text('职'.repeat(100)))))
    const article = build(storyOf(long))
    expect(article.characters).toBeGreaterThan(20_000)
    expect(article.bytes).toBeLessThan(wechatLimits.contentBytes)
    const problems = checkWechatLimits({ ...fits, content: article.html })
    expect(problemsOf({ content: article.html })).toEqual([
      { field: 'content', limit: 20_000, actual: article.characters, over: article.characters - 19_999 },
    ])
    expect(problems[0]?.message).toBe(
      `正文（含排版代码）${article.characters} 字符，公众号要求少于 20000 字符，超出 ${article.characters - 19_999} 字符 / ` +
        `Content with markup is ${article.characters.toLocaleString('en-US')} characters, ` +
        `${(article.characters - 19_999).toLocaleString('en-US')} over WeChat's limit (under 20,000)`,
    )
    expect(problemsOf({ content: '字'.repeat(20_000) })).toEqual([
      { field: 'content', limit: 20_000, actual: 20_000, over: 1 },
    ])
  })

  it('refuses content of 1 MB or more (which is over 20,000 characters too)', () => {
    const huge = root(...Array.from({ length: 3_600 }, () => paragraph(text('职'.repeat(100)))))
    const article = build(storyOf(huge))
    expect(article.bytes).toBeGreaterThan(wechatLimits.contentBytes)
    expect(problemsOf({ content: article.html })).toEqual([
      { field: 'content', limit: 20_000, actual: article.characters, over: article.characters - 19_999 },
      { field: 'contentBytes', limit: 1_048_576, actual: article.bytes, over: article.bytes - 1_048_575 },
    ])
  })

  it('refuses a source URL over 1 KB', () => {
    const sourceUrl = `https://a.cn/${'x'.repeat(1017)}`
    expect(problemsOf({ sourceUrl })).toEqual([{ field: 'sourceUrl', limit: 1024, actual: 1030, over: 6 }])
  })

  it('throws every problem in one error', () => {
    const problems = checkWechatLimits({ ...fits, title: '劳'.repeat(70), author: '字'.repeat(9) })
    const error = new WechatLimitError({ problems })
    expect(error.problems).toBe(problems)
    expect(error.message).toBe(`${problems[0]?.message}；${problems[1]?.message}`)
    expect(error).toBeInstanceOf(Error)
  })
})

describe('the WeChat digest', () => {
  const blocks = blocksOf(
    root(
      upload({ id: 'u1', value: 1, caption: '图说不算' }),
      paragraph(text('一二三四五六七八九十'.repeat(4))),
      paragraph(text('甲乙丙丁戊己庚辛壬癸'.repeat(4))),
    ),
  )

  it('is the summary, whole, however long', () => {
    const summary = '导'.repeat(200)
    expect(wechatDigest({ summary, blocks })).toBe(summary)
  })

  it('is otherwise the first 54 characters of the body text, as WeChat would take', () => {
    expect(wechatDigest({ summary: '  ', blocks })).toBe(
      `${'一二三四五六七八九十'.repeat(4)}${'甲乙丙丁戊己庚辛壬癸'.repeat(2).slice(0, 14)}`,
    )
    expect(wechatDigest({ summary: null, blocks: [] })).toBeNull()
  })
})

describe('the WeChat preview page', () => {
  const article = build(storyOf(richBody))
  const hostile = '<script>alert("x")</script>劳模'
  const meta = { title: hostile, author: hostile, digest: hostile, sourceUrl: SOURCE }
  const page = buildWechatPreviewPage({ article, meta })
  const document = parse(page) as unknown as Node
  const elements = elementsOf(document)

  it('shows the article as it is, in a phone-width frame, and is not indexed', () => {
    expect(page).toContain(article.html)
    expect(page).toContain('width:375px')
    const html = elements.find((e) => e.tagName === 'html')
    expect(attribute(html, 'lang')).toBe('zh-CN')
    const robots = elements.find((e) => e.tagName === 'meta' && attribute(e, 'name') === 'robots')
    expect(attribute(robots, 'content')).toBe('noindex')
  })

  it('escapes the title, author and digest', () => {
    expect(textOf(elements.find((e) => e.tagName === 'h1') as Element)).toBe(hostile)
    expect(textOf(elements.find((e) => e.tagName === 'title') as Element)).toBe(`${hostile}（公众号预览）`)
    expect(page).not.toContain('<script>alert')
    const scripts = elements.filter((e) => e.tagName === 'script')
    expect(scripts).toHaveLength(1)
    const isCopyScript = (e: Element) => textOf(e).includes("getElementById('copy')")
    expect(activeContent(page, { isDocument: true, ownScripts: isCopyScript })).toEqual([])
  })

  it('copies the article as rich text, with a fallback, and says so', () => {
    const button = elements.find((e) => e.tagName === 'button')
    expect(textOf(button as Element)).toBe('复制正文')
    const script = textOf(elements.find((e) => e.tagName === 'script') as Element)
    for (const part of ['navigator.clipboard.write', 'ClipboardItem', "'text/html'", "'text/plain'"])
      expect(script).toContain(part)
    expect(script).toContain("document.execCommand('copy')")
    expect(script).toContain('已复制')
  })

  it('lists what is over WeChat’s limits', () => {
    const over = buildWechatPreviewPage({ article, meta: { ...meta, title: '劳'.repeat(70) } })
    expect(over).toContain('标题 70 字，超出公众号上限 64 字 6 字')
    const fits = buildWechatPreviewPage({
      article,
      meta: { ...meta, title: '标题', author: '王晓燕', digest: null },
    })
    expect(fits).not.toContain('超出公众号上限')
  })
})
