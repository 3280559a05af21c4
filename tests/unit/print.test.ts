import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { houseRights } from '../../cms/channels/house.ts'
import type { LexicalNode } from '../../cms/channels/lexical/nodes.ts'
import { lexicalToBlocks } from '../../cms/channels/lexical/toBlocks.ts'
import { defaultHouseStyles } from '../../cms/channels/print/houseStyles.ts'
import { buildIcml } from '../../cms/channels/print/icml.ts'
import { buildNitf, nitfDate } from '../../cms/channels/print/nitf.ts'
import { buildPlainText } from '../../cms/channels/print/text.ts'
import type { Story } from '../../cms/payload-types.ts'
import { printStory } from '../../cms/publishing/print/printStory.ts'
import { heading, paragraph, quote, root, text } from '../../cms/seed/lexicalNodes.ts'

function story(body: LexicalNode, overrides: Partial<Story> = {}): Story {
  return {
    id: 5,
    title: '劳模工作室里的“金点子”',
    kicker: '走近劳模',
    subtitle: '一年攻克技术难题十二项',
    summary: '导语一句。',
    byline: { text: '记者 王晓燕' },
    slug: 'jin-dian-zi',
    body: { root: body } as unknown as Story['body'],
    publishedAt: '2026-11-01T02:00:00.000Z',
    createdAt: '2026-11-01T02:00:00.000Z',
    updatedAt: '2026-11-01T02:00:00.000Z',
    ...overrides,
  } as Story
}

describe('print blocks and counts', () => {
  const body = root(
    paragraph(text('第一段'), text('加粗', 1), text('倾斜', 2)),
    heading('h2', text('小标题一')),
    quote(text('引语。')),
    { type: 'list', listType: 'bullet', children: [{ type: 'listitem', children: [text('要点LNG')] }] },
    {
      type: 'paragraph',
      children: [{ type: 'link', fields: { url: 'javascript:alert(1)' }, children: [text('链接字')] }],
    },
    { type: 'horizontalrule' },
  )

  it('keeps bold, italic and safe links as runs, and counts 正文 with subheads, headlines apart', () => {
    const blocks = lexicalToBlocks({ root: body })
    expect(blocks.map((b) => b.kind)).toEqual(['paragraph', 'subhead', 'quote', 'item', 'paragraph'])
    const first = blocks[0]
    expect(first?.kind === 'paragraph' && first.runs.map((r) => [r.text, r.isBold, r.isItalic])).toEqual([
      ['第一段', false, false],
      ['加粗', true, false],
      ['倾斜', false, true],
    ])
    const link = blocks[4]
    expect(link?.kind === 'paragraph' && link.runs[0]?.href).toBeNull()
    const printed = printStory({ doc: story(body), rights: houseRights })
    // 第一段加粗倾斜 7 + 引语。3 + 要点 2 + LNG 2 + 链接字 3 = 17; 小标题一 4
    expect(printed.counts.body.total).toBe(17)
    expect(printed.counts.subheads.total).toBe(4)
    expect(printed.counts.running).toBe(21)
    // 走近劳模 4 + 劳模工作室里的“金点子” 12 (10 汉字, 2 quotes) + 一年攻克技术难题十二项 11
    expect(printed.counts.headlines.total).toBe(27)
  })

  it('prefers the slot’s print-only headline to the web’s', () => {
    const printed = printStory({ doc: story(body), overrides: { title: '见报标题' }, rights: houseRights })
    expect(printed.title).toBe('见报标题')
    expect(printed.kicker).toBe('走近劳模')
  })

  it('writes the counts in the text header, over or under the budget', () => {
    const printed = printStory({ doc: story(body), rights: houseRights })
    expect(
      buildPlainText({ story: printed, budget: 20, label: '劳动者之窗' }).split('\n').slice(0, 2),
    ).toEqual(['# 劳动者之窗', '# 正文 21 字（含小标题 4 字）/ 预算 20 字，超出 1 字'])
  })
})

describe('ICML and NITF', () => {
  const hostile = root(paragraph(text('<Content>注入</Content> & "引号"')))
  const printed = printStory({ doc: story(hostile, { title: '<script>x</script>' }), rights: houseRights })

  it('keep hostile text as text in well-formed XML', () => {
    const icml = buildIcml({ story: printed, styles: defaultHouseStyles })
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(icml)
    const contents = JSON.stringify(parsed.Document.Story)
    expect(contents).toContain('<Content>注入</Content> & \\"引号\\"')
    expect(icml).not.toContain('<script>')
    const nitf = new XMLParser().parse(
      buildNitf({ story: printed, issueDate: '2026-11-30T16:00:00.000Z' }),
    ).nitf
    expect(nitf.body['body.head'].hedline.hl1).toBe('<script>x</script>')
  })

  it('writes NITF dates in Beijing time', () => {
    expect(nitfDate('2026-11-30T16:00:00.000Z')).toBe('20261201T000000+0800')
  })
})
