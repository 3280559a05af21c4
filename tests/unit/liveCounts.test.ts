import { describe, expect, it } from 'vitest'
import { liveCounts, WECHAT_IMAGE_SRC_PLACEHOLDER } from '../../cms/channels/counts/liveCounts.ts'
import type { StoryPlans, TvPlan } from '../../cms/channels/counts/storyPlans.ts'
import { houseRights } from '../../cms/channels/house.ts'
import type { LexicalNode } from '../../cms/channels/lexical/nodes.ts'
import { buildSegmentScript } from '../../cms/channels/tv/script.ts'
import { buildWechatArticle } from '../../cms/channels/wechat/article.ts'
import { wechatBlocks } from '../../cms/channels/wechat/blocks.ts'
import type { Media, Story } from '../../cms/payload-types.ts'
import { plateImage, plateStory } from '../../cms/publishing/plate/plateStory.ts'
import { printStory } from '../../cms/publishing/print/printStory.ts'
import { storyBlocks } from '../../cms/publishing/tv/episodeFit.ts'
import { heading, link, list, paragraph, quote, root, text } from '../../cms/seed/lexicalNodes.ts'

const media = {
  id: 7,
  filename: 'weld.jpg',
  mimeType: 'image/jpeg',
  width: 1600,
  height: 1067,
  filesize: 200_000,
  alt: '陈海生在船坞里仰焊',
  caption: '仰焊最考验基本功',
  credit: '记者 郑凯 摄',
} as unknown as Media

const body = root(
  paragraph(text('早上七点，江州船舶重工3号船坞里已经响起敲击声。LNG 运输船的殷瓦钢只有0.7毫米厚。')),
  heading('h2', text('三十年，二十万米焊缝')),
  quote(text('“仰焊最考验基本功，铁水往下掉，手要稳，眼要快。”')),
  list({ items: ['一次合格率99.8%', '专利4项'], listType: 'bullet' }),
  paragraph(
    text('详见'),
    link({ url: 'https://www.acftu.org/zt/', id: 'l1', children: [text('全总专题')] }),
    text('。'),
  ),
  { type: 'upload', relationTo: 'media', value: 7, fields: { caption: null } },
  paragraph(text('他说：“焊缝就是我的名片。”')),
)

/** The same story as the outlets read it: saved, with its body's image populated. */
function savedStory(): Story {
  const populated = JSON.parse(JSON.stringify(body)) as LexicalNode & { children: LexicalNode[] }
  const upload = populated.children.find((node) => node.type === 'upload') as unknown as { value: unknown }
  upload.value = media
  return {
    id: 11,
    title: '陈海生：把焊缝焊成“免检产品”',
    kicker: '走近全国五一劳动奖章获得者',
    subtitle: '江州船舶重工高级技师的三十年焊接生涯',
    summary: '电焊高级技师陈海生一干就是三十年。',
    byline: { text: '记者 王晓燕 通讯员 李强' },
    slug: 'chen-haisheng',
    body: { root: populated } as unknown as Story['body'],
    publishedAt: '2026-11-01T02:00:00.000Z',
    createdAt: '2026-11-01T02:00:00.000Z',
    updatedAt: '2026-11-01T02:00:00.000Z',
  } as Story
}

/** The same story as the editor's form holds it: the upload is a media id. */
const draft = {
  body: { root: body },
  title: '陈海生：把焊缝焊成“免检产品”',
  kicker: '走近全国五一劳动奖章获得者',
  subtitle: '江州船舶重工高级技师的三十年焊接生涯',
  summary: '电焊高级技师陈海生一干就是三十年。',
  bylineText: '记者 王晓燕 通讯员 李强',
  images: new Map([
    [7, { alt: media.alt ?? null, caption: media.caption ?? null, credit: media.credit ?? null }],
  ]),
}

const tvPlan: TvPlan = {
  episodeId: 4,
  episodeTitle: '劳动者 2026年12月12日',
  programme: '劳动者',
  airDate: '2026-12-11T16:00:00.000Z',
  position: 1,
  pace: 240,
  budgetSeconds: 300,
  lead: '一条焊缝藏在船体里，要扛几十年的风浪。',
  shots: [{ paragraph: 2, visual: '焊缝特写', text: '三十年，他焊了二十多万米焊缝。' }],
}

const plans: StoryPlans = {
  storyId: 11,
  print: [
    {
      issueId: 3,
      issueTitle: '劳动者之窗 2026年12月',
      column: '劳动者之窗',
      issueDate: '2026-11-30T16:00:00.000Z',
      position: 1,
      budget: 3080,
    },
  ],
  tv: [tvPlan],
  wechat: {
    siteOrigin: 'https://news.example.org',
    sourceUrl: 'https://news.example.org/stories/chen-haisheng/',
  },
}

const rowOf = (counts: ReturnType<typeof liveCounts>, key: string) => {
  const found = counts.rows.find((row) => row.key === key)
  if (!found) throw new Error(`no row ${key} in ${counts.rows.map((row) => row.key).join(', ')}`)
  return found
}

describe('live counts equal what each outlet computes for the same body', () => {
  const counts = liveCounts({ draft, plans })

  it('counts the body as the public page does, with its reading time', () => {
    const plate = plateStory({ doc: savedStory(), rights: houseRights })
    expect(counts.body).toEqual(plate.counts)
    expect(counts.readingMinutes).toBe(plate.readingMinutes)
    expect(counts.text).toBe(`正文 ${plate.counts.total} 字 · 约 ${plate.readingMinutes} 分钟`)
  })

  it("counts 正文 against the print slot as the column's fit does", () => {
    const printed = printStory({ doc: savedStory(), rights: houseRights })
    const row = rowOf(counts, 'print-3-1')
    expect(row.used).toBe(printed.counts.running)
    expect(row).toMatchObject({ budget: 3080, isOver: false, unit: '字' })
    expect(row.text).toBe(`报纸 劳动者之窗 12月1日：${printed.counts.running} / 3,080 字`)
  })

  it('measures the WeChat article as the outlet renders it, images at a WeChat-length source', () => {
    const doc = savedStory()
    const plate = plateStory({ doc, rights: houseRights })
    const article = buildWechatArticle({
      story: {
        kicker: plate.kicker,
        title: plate.title,
        subtitle: plate.subtitle,
        summary: plate.summary,
        author: '王晓燕 李强',
        byline: plate.byline,
        blocks: wechatBlocks({ blocks: storyBlocks({ story: doc }), imageOf: plateImage }),
        sourceUrl: plans.wechat.sourceUrl,
        siteOrigin: plans.wechat.siteOrigin,
      },
      imageSrc: () => WECHAT_IMAGE_SRC_PLACEHOLDER,
    })
    expect(article.html).toContain('全总专题')
    expect(article.html).toContain('陈海生在船坞里仰焊')
    const row = rowOf(counts, 'wechat-content')
    expect(row.used).toBe(article.characters)
    expect(row.text).toBe(`公众号：${article.characters.toLocaleString('en-US')} / 20,000 字符`)
    expect(rowOf(counts, 'wechat-title').text).toBe(`公众号标题：${[...plate.title].length} / 64 字`)
    expect(rowOf(counts, 'wechat-digest').used).toBe([...(plate.summary ?? '')].length)
  })

  it("times the TV segment at the programme's pace, with the desk's wording and lead", () => {
    const doc = savedStory()
    const script = buildSegmentScript({
      segment: {
        storyId: doc.id,
        title: doc.title,
        lead: tvPlan.lead ?? '',
        blocks: storyBlocks({ story: doc }),
        shots: tvPlan.shots,
        budgetSeconds: 300,
      },
      programme: { name: '劳动者', pace: 240, subtitleLineLength: 16, segmentBudgetSeconds: 300 },
    })
    const row = rowOf(counts, 'tv-4-1')
    expect(row.used).toBe(script.totalSeconds)
    expect(row.text).toMatch(/^电视 劳动者 12月12日：\d分\d{2}秒 \/ 5分00秒$/)
    // The desk's wording is read instead of the 小标题: a longer line takes longer.
    const reworded = liveCounts({
      draft,
      plans: { ...plans, tv: [{ ...tvPlan, shots: [{ paragraph: 2, text: '长'.repeat(240) }] }] },
    })
    expect(rowOf(reworded, 'tv-4-1').used).toBeGreaterThan(row.used + 50)
  })

  it('reads the summary as the 口播导语 when the segment has none, as it is typed', () => {
    const withoutLead = { ...plans, tv: [{ ...tvPlan, lead: null }] }
    const short = rowOf(liveCounts({ draft, plans: withoutLead }), 'tv-4-1').used
    const long = rowOf(
      liveCounts({ draft: { ...draft, summary: `${draft.summary}${'长'.repeat(120)}` }, plans: withoutLead }),
      'tv-4-1',
    ).used
    expect(long - short).toBe(30)
  })
})

describe('rising counts and budgets gone over', () => {
  it('rises as the editor types, and marks the slot over its budget with how much', () => {
    const before = liveCounts({ draft, plans })
    const typed = root(...(body.children ?? []), paragraph(text('船坞里的弧光映红了他的脸。')))
    const after = liveCounts({
      draft: { ...draft, body: { root: typed } },
      plans: { ...plans, print: [{ ...(plans.print[0] as StoryPlans['print'][number]), budget: 100 }] },
    })
    expect(after.body.total).toBe(before.body.total + 13)
    const print = rowOf(after, 'print-3-1')
    expect(print.used).toBe(rowOf(before, 'print-3-1').used + 13)
    expect(print.isOver).toBe(true)
    expect(print.text).toBe(`报纸 劳动者之窗 12月1日：${print.used} / 100 字（超出 ${print.used - 100} 字）`)
  })

  it('holds WeChat to strictly fewer than 20,000 characters', () => {
    const long = root(paragraph(text('焊'.repeat(20_000))))
    const row = rowOf(liveCounts({ draft: { ...draft, body: { root: long } }, plans }), 'wechat-content')
    expect(row.isOver).toBe(true)
    expect(row.over).toBe(row.used - 20_000 + 1)
  })

  it('puts a TV segment over its budget in minutes and seconds', () => {
    const long = root(paragraph(text('焊'.repeat(1300))))
    const row = rowOf(liveCounts({ draft: { ...draft, body: { root: long } }, plans }), 'tv-4-1')
    expect(row.isOver).toBe(true)
    expect(row.text).toMatch(/^电视 劳动者 12月12日：5分\d{2}秒 \/ 5分00秒（超出 \d+ 秒）$/)
  })

  it('counts an empty or new story without plans: the body and WeChat only', () => {
    const counts = liveCounts({ draft: { body: null }, plans: null })
    expect(counts.text).toBe('正文 0 字 · 约 1 分钟')
    expect(counts.rows.map((row) => row.outlet)).toEqual(['wechat', 'wechat', 'wechat'])
  })
})
