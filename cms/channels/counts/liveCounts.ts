import { countChinese, readingMinutes } from '../chineseCount.ts'
import { stripControlCharacters } from '../html.ts'
import type { LexicalNode } from '../lexical/nodes.ts'
import { type Block, lexicalToBlocks } from '../lexical/toBlocks.ts'
import { lexicalToText } from '../lexical/toText.ts'
import { buildSegmentScript, describeDuration } from '../tv/script.ts'
import { defaultTvProgramme } from '../tv/types.ts'
import type { CharacterCounts, PlatedImage } from '../types.ts'
import { buildWechatArticle } from '../wechat/article.ts'
import { wechatBlocks } from '../wechat/blocks.ts'
import { wechatDigest } from '../wechat/digest.ts'
import { wechatLimits } from '../wechat/limits.ts'
import { printBodyCounts } from './printRunning.ts'
import type { PrintPlan, StoryPlans, TvPlan } from './storyPlans.ts'

/** What an image adds to the WeChat article besides its source: alt text, caption, credit. */
export interface ImageWords {
  alt: string | null
  caption: string | null
  credit: string | null
}

/** The story as the editor's form holds it right now, saved or not. */
export interface StoryDraft {
  /** Lexical's editor state, `{ root }` */
  body: unknown
  title?: string | null
  kicker?: string | null
  subtitle?: string | null
  summary?: string | null
  bylineText?: string | null
  wechatTitle?: string | null
  wechatDigest?: string | null
  /** Words of the body's images by media id; an image not in it counts with none. */
  images?: ReadonlyMap<number, ImageWords>
}

/** One outlet's budget against what the draft uses of it. */
export interface BudgetRow {
  outlet: 'print' | 'wechat' | 'tv'
  /** stable among the rows: `print-<issue>-<slot>`, `wechat-content`, `tv-<episode>-<segment>` */
  key: string
  /** `报纸 劳动者之窗 12月1日`, `公众号`, `电视 劳动者 12月12日` */
  label: string
  used: number
  budget: number
  unit: '字' | '字符' | '秒'
  isOver: boolean
  /** Positive: how much must go for the draft to fit; otherwise the room left, negated. */
  over: number
  /** `报纸 劳动者之窗 12月1日：1,234 / 3,080 字`, with `（超出 20 字）` when over. */
  text: string
}

/** The sidebar's counts: the body's 字数 and reading time, and each budget that applies. */
export interface LiveCounts {
  body: CharacterCounts
  readingMinutes: number
  /** `正文 1,234 字 · 约 4 分钟` */
  text: string
  rows: BudgetRow[]
}

/**
 * Stands in for an image's WeChat-hosted URL (`http://mmbiz.qpic.cn/…`, about 130 characters),
 * so the article measures close to what a push sends before any image is uploaded.
 */
export const WECHAT_IMAGE_SRC_PLACEHOLDER = `http://mmbiz.qpic.cn/sz_mmbiz_jpg/${'0'.repeat(86)}/0?wx_fmt=jpeg`

/**
 * Counts a draft the way every outlet does, from the same functions: the body's 字数 as the
 * public page shows it (`countChinese` of the body text), print's 正文 running count against
 * each planned slot, the rendered WeChat article's characters against WeChat's content limit
 * (and its title and digest limits), and each planned TV segment's duration at the programme's
 * pace. Throws `UnknownLexicalNodeError` for a body no outlet could plate.
 */
export function liveCounts({ draft, plans }: { draft: StoryDraft; plans: StoryPlans | null }): LiveCounts {
  const root = rootOf(draft.body)
  const body = countChinese(lexicalToText({ root }))
  const minutes = readingMinutes(body)
  const blocks = lexicalToBlocks({ root })
  const { running } = printBodyCounts({ blocks })
  const rows = [
    ...(plans?.print ?? []).map((plan) => printRow({ plan, running })),
    ...wechatRows({ draft, plans, blocks }),
    ...(plans?.tv ?? []).map((plan) => tvRow({ plan, draft, blocks })),
  ]
  return {
    body,
    readingMinutes: minutes,
    text: `正文 ${number(body.total)} 字 · 约 ${minutes} 分钟`,
    rows,
  }
}

function printRow({ plan, running }: { plan: PrintPlan; running: number }): BudgetRow {
  return row({
    outlet: 'print',
    key: `print-${plan.issueId}-${plan.position}`,
    label: `报纸 ${plan.column} ${monthDay(plan.issueDate)}`,
    used: running,
    budget: plan.budget,
    unit: '字',
  })
}

function wechatRows({
  draft,
  plans,
  blocks,
}: {
  draft: StoryDraft
  plans: StoryPlans | null
  blocks: readonly Block[]
}): BudgetRow[] {
  const summary = clean(draft.summary)
  const articleBlocks = wechatBlocks({ blocks, imageOf: (value) => imageOf({ value, images: draft.images }) })
  const title = clean(draft.wechatTitle) ?? clean(draft.title) ?? ''
  const article = buildWechatArticle({
    story: {
      kicker: clean(draft.kicker),
      title,
      subtitle: clean(draft.subtitle),
      summary,
      author: null,
      byline: clean(draft.bylineText),
      blocks: articleBlocks,
      sourceUrl: plans?.wechat.sourceUrl ?? '',
      siteOrigin: plans?.wechat.siteOrigin ?? '',
    },
    imageSrc: () => WECHAT_IMAGE_SRC_PLACEHOLDER,
  })
  const digest = clean(draft.wechatDigest) ?? wechatDigest({ summary, blocks: articleBlocks }) ?? ''
  return [
    row({
      outlet: 'wechat',
      key: 'wechat-content',
      label: '公众号',
      used: article.characters,
      budget: wechatLimits.contentCharacters,
      unit: '字符',
      // WeChat takes strictly fewer characters than its limit.
      isStrict: true,
    }),
    row({
      outlet: 'wechat',
      key: 'wechat-title',
      label: '公众号标题',
      used: [...title].length,
      budget: wechatLimits.titleCharacters,
      unit: '字',
    }),
    row({
      outlet: 'wechat',
      key: 'wechat-digest',
      label: '公众号摘要',
      used: [...digest].length,
      budget: wechatLimits.digestCharacters,
      unit: '字',
    }),
  ]
}

function tvRow({ plan, draft, blocks }: { plan: TvPlan; draft: StoryDraft; blocks: Block[] }): BudgetRow {
  const script = buildSegmentScript({
    segment: {
      storyId: 0,
      title: '',
      lead: plan.lead?.trim() || draft.summary?.trim() || '',
      blocks,
      shots: plan.shots,
      budgetSeconds: plan.budgetSeconds,
    },
    programme: {
      ...defaultTvProgramme,
      name: plan.programme,
      pace: plan.pace,
      segmentBudgetSeconds: plan.budgetSeconds,
    },
  })
  return row({
    outlet: 'tv',
    key: `tv-${plan.episodeId}-${plan.position}`,
    label: `电视 ${plan.programme} ${monthDay(plan.airDate)}`,
    used: script.totalSeconds,
    budget: script.budgetSeconds,
    unit: '秒',
  })
}

function row({
  isStrict = false,
  ...fields
}: Omit<BudgetRow, 'isOver' | 'over' | 'text'> & { isStrict?: boolean }): BudgetRow {
  const { used, budget, unit, label } = fields
  const over = isStrict ? used - budget + 1 : used - budget
  const isOver = over > 0
  const amount = (value: number) => (unit === '秒' ? describeDuration(value) : number(value))
  const usedText = `${amount(used)} / ${amount(budget)}${unit === '秒' ? '' : ` ${unit}`}`
  const overText = isOver ? `（超出 ${number(over)} ${unit}）` : ''
  return { ...fields, isOver, over, text: `${label}：${usedText}${overText}` }
}

function imageOf({
  value,
  images,
}: {
  value: unknown
  images: ReadonlyMap<number, ImageWords> | undefined
}): PlatedImage | null {
  // The editor holds an upload as its media id; a read at depth holds the media document.
  const media = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null
  const id = Number(media ? media.id : value)
  if (!Number.isFinite(id)) return null
  const words = images?.get(id) ?? (media as Partial<ImageWords> | null)
  return {
    id,
    alt: clean(words?.alt) ?? '',
    caption: clean(words?.caption),
    credit: clean(words?.credit),
    width: 0,
    height: 0,
    renditions: [],
  }
}

function rootOf(body: unknown): LexicalNode | null {
  if (typeof body !== 'object' || body === null) return null
  const root = (body as { root?: unknown }).root
  return typeof root === 'object' && root !== null ? (root as LexicalNode) : null
}

/** `12月1日`: a date field's day in Beijing (a Payload date is midnight there, in UTC). */
function monthDay(iso: string): string {
  const day = new Date(Date.parse(iso) + 8 * 3_600_000)
  return Number.isNaN(day.getTime()) ? iso : `${day.getUTCMonth() + 1}月${day.getUTCDate()}日`
}

function clean(value: string | null | undefined): string | null {
  const text = typeof value === 'string' ? stripControlCharacters(value).trim() : ''
  return text === '' ? null : text
}

const number = (value: number) => value.toLocaleString('en-US')
