import mammoth from 'mammoth'
import { type DefaultTreeAdapterMap, parseFragment } from 'parse5'
import { describe, expect, it } from 'vitest'
import { stripControlCharacters } from '../../cms/channels/html.ts'
import { blockText, lexicalToBlocks } from '../../cms/channels/lexical/toBlocks.ts'
import { buildEpisodeDocx } from '../../cms/channels/tv/docx.ts'
import {
  buildSegmentScript,
  describeDuration,
  describeSegmentFit,
  secondsOf,
} from '../../cms/channels/tv/script.ts'
import { buildSrt } from '../../cms/channels/tv/srt.ts'
import { buildTeleprompterText } from '../../cms/channels/tv/teleprompter.ts'
import {
  defaultTvProgramme,
  type TvProgrammeSettings,
  type TvSegmentInput,
  type TvShot,
} from '../../cms/channels/tv/types.ts'
import { heading, list, paragraph, quote, root, text, upload } from '../../cms/seed/lexicalNodes.ts'
import { hostileStrings } from '../security/hostile.ts'

const programme: TvProgrammeSettings = { ...defaultTvProgramme, name: '劳动者' }
const workshop = '劳动者在车间里攻克技术难题'
const hanRun = (length: number) =>
  Array.from({ length }, (_, index) => workshop[index % workshop.length]).join('')

const body = root(
  paragraph(text(hanRun(120))),
  upload({ id: 'img-1', value: 7, caption: '焊花四溅的车间' }),
  paragraph(
    text(
      '今天上午，全市职工技能大赛在工人文化宫开幕。来自各行各业的选手同场竞技，比拼LNG储罐焊接，合格率达99.8%。',
    ),
  ),
  quote(text('“我们干的是良心活，一道焊缝也不能马虎。”')),
  heading('h2', text('一年攻克十二项难题')),
  list({ listType: 'bullet', items: ['改进焊接工艺', '培养青年技工二十名'] }),
  quote(text('“2024年我们拿了金奖。”')),
  paragraph(text(hanRun(40))),
)
const blocks = lexicalToBlocks({ root: body })
const lead = '本期《劳动者》走进市工人文化宫，看全市职工技能大赛。'

function segment(overrides: Partial<TvSegmentInput> = {}): TvSegmentInput {
  return { storyId: 5, title: '焊花里的青春', lead, blocks, shots: [], budgetSeconds: 60, ...overrides }
}

/** 字数 counted independently of the renderer: by Unicode class, Latin runs by regex. */
function independentCount(value: string): number {
  const han = (value.match(/\p{Script=Han}/gu) ?? []).length
  const punctuation = (value.match(/[，。、；：？！“”‘’（）《》【】…—·「」]/g) ?? []).length
  const latin = (value.match(/[A-Za-z0-9.%+\-_/:@&'#]+/g) ?? []).reduce(
    (sum, run) => sum + Math.ceil(run.length / 2),
    0,
  )
  return han + punctuation + latin
}

const hanOf = (value: string) => (value.match(/\p{Script=Han}/gu) ?? []).join('')

/** A subtitle line's width: a 汉字 or full-width mark one, invisible marks nothing, anything else half. */
const displayWidth = (value: string) =>
  [...value].reduce(
    (sum, char) =>
      sum +
      (/[\p{Script=Han}，。、；：？！“”‘’（）《》【】…—·「」]/u.test(char)
        ? 1
        : /\p{Cf}/u.test(char)
          ? 0
          : 0.5),
    0,
  )

interface Cue {
  index: number
  start: number
  end: number
  text: string
}

/** A strict SRT reader: number, timing, exactly one text line, a blank line; nothing else. */
function parseSrt(srt: string): Cue[] {
  if (srt === '') return []
  expect(srt.endsWith('\n\n')).toBe(true)
  const time = (value: string) => {
    const [, h, m, s, ms] = /^(\d\d):(\d\d):(\d\d),(\d{3})$/.exec(value) ?? []
    if (h === undefined) throw new Error(`bad SRT time: ${value}`)
    return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms)
  }
  return srt
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n')
      if (lines.length !== 3) throw new Error(`an SRT cue of ${lines.length} lines: ${JSON.stringify(block)}`)
      const [index, timing, line] = lines as [string, string, string]
      const [start, end, ...rest] = timing.split(' --> ')
      if (!/^\d+$/.test(index) || start === undefined || end === undefined || rest.length > 0)
        throw new Error(`a bad SRT cue header: ${JSON.stringify(block)}`)
      if (line.trim() === '' || line.includes('-->'))
        throw new Error(`a bad cue text: ${JSON.stringify(line)}`)
      return { index: Number(index), start: time(start), end: time(end), text: line }
    })
}

/** Every cue numbered in order, at most a line long, on screen one after the other from zero. */
function expectWellFormedCues(cues: Cue[], { exceptLatinRuns = false } = {}) {
  let at = 0
  for (const [position, cue] of cues.entries()) {
    expect(cue.index).toBe(position + 1)
    expect(cue.start).toBe(at)
    expect(cue.end - cue.start).toBe(
      Math.max(1000, Math.round((independentCount(cue.text) * 60_000) / programme.pace)),
    )
    at = cue.end
    const isOneLongLatinRun = exceptLatinRuns && /^[A-Za-z0-9.%+\-_/:@&'#]+$/.test(cue.text)
    if (!isOneLongLatinRun)
      expect({ cue: cue.text, fits: displayWidth(cue.text) <= programme.subtitleLineLength }).toEqual({
        cue: cue.text,
        fits: true,
      })
    expect(cue.text).not.toMatch(/[，。、；：]$/)
  }
}

type Node = DefaultTreeAdapterMap['node']
const textOf = (node: Node): string =>
  node.nodeName === '#text'
    ? (node as DefaultTreeAdapterMap['textNode']).value
    : 'childNodes' in node
      ? node.childNodes.map(textOf).join('')
      : ''

/** The DOCX's tables as Word shows them, read back by mammoth: rows of cell texts. */
async function tablesOf(docx: Uint8Array): Promise<string[][][]> {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(docx) })
  const tables: string[][][] = []
  const visit = (node: Node) => {
    if (node.nodeName === 'table') {
      const rows: string[][] = []
      const collect = (inner: Node) => {
        if (inner.nodeName === 'tr' && 'childNodes' in inner)
          rows.push(inner.childNodes.filter((cell) => /^t[dh]$/.test(cell.nodeName)).map(textOf))
        else if ('childNodes' in inner) inner.childNodes.forEach(collect)
      }
      collect(node)
      tables.push(rows)
    } else if ('childNodes' in node) node.childNodes.forEach(visit)
  }
  visit(parseFragment(value) as unknown as Node)
  return tables
}

describe('a segment script', () => {
  it('times each row from its 字数 at the programme’s pace, rounded up to a second', () => {
    const script = buildSegmentScript({ segment: segment(), programme })
    expect(script.rows[0]).toMatchObject({ paragraph: 1, characters: 120, seconds: 30 })
    const slower = buildSegmentScript({ segment: segment(), programme: { ...programme, pace: 180 } })
    expect(slower.rows[0]?.seconds).toBe(40)
    expect(secondsOf({ text: '七个字的一句话', pace: 240 })).toBe(2)
    expect(secondsOf({ text: '', pace: 240 })).toBe(0)
    expect(() => secondsOf({ text: '字', pace: 0 })).toThrow(/pace/)
    for (const row of script.rows) {
      expect(row.characters).toBe(independentCount(row.text))
      expect(row.seconds).toBe(Math.ceil((independentCount(row.text) * 60) / 240))
    }
    expect(script.lead).toEqual({
      text: lead,
      characters: independentCount(lead),
      seconds: Math.ceil(independentCount(lead) / 4),
    })
  })

  it('has one row per text block, quotes as 同期声 and the rest as 解说 unless a shot says otherwise', () => {
    const plain = buildSegmentScript({ segment: segment(), programme })
    expect(plain.rows.map((row) => [row.paragraph, row.voice])).toEqual([
      [1, 'narration'],
      [2, 'narration'],
      [3, 'sync'],
      [4, 'narration'],
      [5, 'narration'],
      [6, 'narration'],
      [7, 'sync'],
      [8, 'narration'],
    ])
    const shots: TvShot[] = [
      { paragraph: 7, voice: 'narration' },
      { paragraph: 2, voice: 'sync', visual: '车间全景，选手入场' },
      { paragraph: 5, text: '改进工艺，提高效率' },
    ]
    const shot = buildSegmentScript({ segment: segment({ shots }), programme })
    expect(shot.rows[6]?.voice).toBe('narration')
    expect(shot.rows[1]?.voice).toBe('sync')
    expect(shot.rows[4]).toMatchObject({ text: '改进工艺，提高效率', characters: 9, seconds: 3 })
  })

  it('puts the desk’s 画面 notes on their row, and suggests the image on the row after it', () => {
    const plain = buildSegmentScript({ segment: segment(), programme })
    expect(plain.rows.map((row) => row.visual)).toEqual(['', '图片：焊花四溅的车间', '', '', '', '', '', ''])
    const shots: TvShot[] = [
      { paragraph: 2, visual: '车间全景，选手入场' },
      { paragraph: 4, visual: '字幕：一年攻克十二项难题' },
    ]
    const shot = buildSegmentScript({ segment: segment({ shots }), programme })
    expect(shot.rows[1]?.visual).toBe('车间全景，选手入场')
    expect(shot.rows[3]?.visual).toBe('字幕：一年攻克十二项难题')
    expect(shot.rows.filter((row) => row.visual).length).toBe(2)
  })

  it('adds up the lead and the rows, and says how far over or under budget the segment is', () => {
    const script = buildSegmentScript({ segment: segment(), programme })
    const expected =
      Math.ceil(independentCount(lead) / 4) +
      blocks
        .filter((block) => block.kind !== 'image')
        .reduce((sum, block) => sum + Math.ceil(independentCount(blockText(block)) / 4), 0)
    expect(script.totalSeconds).toBe(expected)
    expect(expected).toBe(78)
    expect(script.over).toBe(18)
    expect(describeSegmentFit({ seconds: script.totalSeconds, budget: script.budgetSeconds })).toBe(
      '时长 1分18秒 / 1分00秒，超出 18 秒',
    )
    const roomy = buildSegmentScript({ segment: segment({ budgetSeconds: 120 }), programme })
    expect(roomy.over).toBe(-42)
    expect(describeSegmentFit({ seconds: roomy.totalSeconds, budget: roomy.budgetSeconds })).toBe(
      '时长 1分18秒 / 2分00秒，余 42 秒',
    )
    expect(describeDuration(192)).toBe('3分12秒')
    expect(describeSegmentFit({ seconds: 192, budget: 240 })).toBe('时长 3分12秒 / 4分00秒，余 48 秒')
    expect(describeSegmentFit({ seconds: 252, budget: 240 })).toBe('时长 4分12秒 / 4分00秒，超出 12 秒')
    const unbudgeted = buildSegmentScript({ segment: segment({ budgetSeconds: 0 }), programme })
    expect(unbudgeted.budgetSeconds).toBe(programme.segmentBudgetSeconds)
  })

  it('keeps every 汉字 of the story body, in order, across its 解说 and 同期声', () => {
    const script = buildSegmentScript({ segment: segment(), programme })
    const story = blocks.filter((block) => block.kind !== 'image').map(blockText)
    expect(hanOf(script.rows.map((row) => row.text).join(''))).toBe(hanOf(story.join('')))
    expect(hanOf(script.rows.map((row) => row.text).join(''))).toHaveLength(hanOf(story.join('')).length)
  })
})

describe('the episode’s subtitles', () => {
  const scripts = [
    buildSegmentScript({ segment: segment(), programme }),
    buildSegmentScript({
      segment: segment({ storyId: 6, title: '第二条', lead: '第二条的导语。', blocks: blocks.slice(0, 3) }),
      programme,
    }),
  ]

  it('parse back as consecutive cues of at most a line, keeping every 汉字 in order', () => {
    const cues = parseSrt(buildSrt({ scripts, programme }))
    expectWellFormedCues(cues)
    const spoken = scripts.flatMap((script) => [script.lead.text, ...script.rows.map((row) => row.text)])
    expect(hanOf(cues.map((cue) => cue.text).join(''))).toBe(hanOf(spoken.join('')))
    expect(cues.length).toBeGreaterThan(spoken.length)
  })

  it('break after punctuation, not inside LNG, 2024 or 99.8%, and cut a long run of 汉字 at the line', () => {
    const cues = parseSrt(buildSrt({ scripts: scripts.slice(0, 1), programme })).map((cue) => cue.text)
    expect(cues).toContain('今天上午')
    expect(cues).toContain('全市职工技能大赛在工人文化宫开幕')
    for (const run of ['LNG', '2024', '99.8%']) expect(cues.some((cue) => cue.includes(run))).toBe(true)
    expect(cues).toContain(hanRun(120).slice(0, 16))
    expect(cues).toContain(hanRun(40).slice(32))
    expect(cues).toContain('“我们干的是良心活')
  })

  it('cut a phrase longer than a line at its dash rather than mid-word', () => {
    const said = buildSegmentScript({
      segment: segment({ lead: '他说：“这是班组的骄傲！”随后他又补充了一句——“明年还要更好……”', blocks: [] }),
      programme,
    })
    expect(parseSrt(buildSrt({ scripts: [said], programme })).map((cue) => cue.text)).toEqual([
      '他说：“这是班组的骄傲！”',
      '随后他又补充了一句——',
      '“明年还要更好……”',
    ])
  })

  it('turn a line break into a new cue and keep hostile text from reading as SRT', () => {
    const tricky = buildSegmentScript({
      segment: segment({
        lead: '第一行\n00:00:01,000 --> 00:00:02,000\r\n\n第二行\u0000',
        blocks: [],
      }),
      programme,
    })
    const cues = parseSrt(buildSrt({ scripts: [tricky], programme }))
    expect(cues.map((cue) => cue.text)).toEqual(['第一行', '00:00:01,000 → 00:00:02,000', '第二行'])
  })
})

describe('the teleprompter', () => {
  it('holds the headers, the lead and the 解说, and a timed cue for each 同期声 instead of its words', () => {
    const script = buildSegmentScript({ segment: segment(), programme })
    const prompter = buildTeleprompterText({
      scripts: [script],
      programme,
      airDate: '2026-11-30T16:00:00.000Z',
    })
    const lines = prompter.trimEnd().split('\n\n')
    expect(lines[0]).toBe('劳动者　2026年12月1日')
    expect(lines).toContain(`【第1条】焊花里的青春（${describeDuration(script.totalSeconds)}）`)
    expect(lines).toContain(lead)
    for (const row of script.rows) {
      if (row.voice === 'narration') expect(lines).toContain(row.text)
      else {
        expect(prompter).not.toContain(row.text)
        expect(lines).toContain(`〔同期声 ${row.seconds} 秒〕`)
      }
    }
    expect(prompter).not.toContain('良心活')
    expect(prompter).not.toMatch(/\n\n\n/)
  })
})

describe('the episode DOCX', () => {
  const shots: TvShot[] = [{ paragraph: 2, visual: '车间全景，选手入场' }]
  const scripts = [buildSegmentScript({ segment: segment({ shots }), programme })]
  const episode = {
    title: '劳动者 第48期',
    programme,
    airDate: '2026-12-01',
    scripts,
    stamp: new Date('2026-11-25T00:00:00Z'),
  }

  it('sets each segment as a two-column table, 画面 beside 解说/同期声, with its time and fit', async () => {
    const docx = await buildEpisodeDocx(episode)
    const [table] = await tablesOf(docx)
    expect(table?.[0]).toEqual(['画面', '解说/同期声'])
    const rows = scripts[0]?.rows ?? []
    expect(table).toHaveLength(rows.length + 1)
    expect(table?.[2]).toEqual(['车间全景，选手入场', `【解说】${rows[1]?.text}（${rows[1]?.seconds}秒）`])
    expect(table?.[3]).toEqual(['', `【同期声】${rows[2]?.text}（${rows[2]?.seconds}秒）`])
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(docx) })
    expect(value).toContain(`【口播导语】${lead}（${scripts[0]?.lead.seconds}秒）`)
    const fit = describeSegmentFit({ seconds: scripts[0]?.totalSeconds ?? 0, budget: 60 })
    expect(value).toContain(fit)
    expect(value).toContain(`全片 1 条，${fit}`)
    expect(value).toContain('劳动者　2026年12月1日 播出')
  })

  it('gives the same bytes for the same episode', async () => {
    const first = await buildEpisodeDocx(episode)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    expect(Buffer.from(await buildEpisodeDocx(episode)).equals(Buffer.from(first))).toBe(true)
  })
})

describe('hostile text in every TV output', () => {
  it.each(hostileStrings)('%s', async (_name, value) => {
    const hostileBlocks = lexicalToBlocks({ root: root(paragraph(text(value)), quote(text(value))) })
    const script = buildSegmentScript({
      segment: {
        storyId: 9,
        title: value,
        lead: value,
        blocks: hostileBlocks,
        shots: [{ paragraph: 1, visual: value }],
        budgetSeconds: 60,
      },
      programme,
    })
    const cleaned = stripControlCharacters(value)

    const cues = parseSrt(buildSrt({ scripts: [script], programme }))
    expectWellFormedCues(cues, { exceptLatinRuns: true })
    const visible = (from: string) => from.replaceAll('-->', '→').replace(/[\s，。、；：]/gu, '')
    expect(
      cues
        .map((cue) => cue.text)
        .join('')
        .replace(/\s/gu, ''),
    ).toBe(visible(cleaned).repeat(3))

    const prompter = buildTeleprompterText({ scripts: [script], programme, airDate: '2026-12-01' })
    expect(prompter).toContain(cleaned.trim())

    const docx = await buildEpisodeDocx({
      title: value,
      programme,
      airDate: '2026-12-01',
      scripts: [script],
      stamp: new Date('2026-11-25T00:00:00Z'),
    })
    const [table] = await tablesOf(docx)
    expect(table?.[1]?.[0]).toBe(cleaned)
    expect(table?.[1]?.[1]).toContain(cleaned)
    expect(table?.[2]?.[1]).toContain(`【同期声】${cleaned}`)
    const { value: raw } = await mammoth.extractRawText({ buffer: Buffer.from(docx) })
    expect(raw).toContain(`【口播导语】${cleaned}`)
  })
})
