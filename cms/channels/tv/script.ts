import { countChinese } from '../chineseCount.ts'
import { stripControlCharacters } from '../html.ts'
import { type Block, blockText } from '../lexical/toBlocks.ts'
import type { TvProgrammeSettings, TvRow, TvSegmentInput, TvSegmentScript, TvShot, TvVoice } from './types.ts'

/**
 * A story as a segment's two-column script: the 口播导语, then one row per text block
 * (paragraph, 小标题, quote, list item) in reading order, each with its 画面 notes, its voice and
 * its time at the programme's pace. A quote is 同期声 (the person speaks on camera) unless the
 * shot says otherwise; everything else is 解说. The row after an image suggests that image as
 * its picture until the desk writes its own.
 */
export function buildSegmentScript({
  segment,
  programme,
}: {
  segment: TvSegmentInput
  programme: TvProgrammeSettings
}): TvSegmentScript {
  const { pace } = programme
  const shots = shotsByParagraph({ shots: segment.shots })
  const rows: TvRow[] = []
  let images: string[] = []
  for (const block of segment.blocks) {
    if (block.kind === 'image') {
      images.push(block.caption?.trim() ? `图片：${clean(block.caption.trim())}` : '图片')
      continue
    }
    const paragraph = rows.length + 1
    const shot = shots.get(paragraph)
    const text = shot?.text?.trim() ? clean(shot.text.trim()) : blockText(block)
    const { characters, seconds } = timing({ text, pace })
    rows.push({
      paragraph,
      visual: shot?.visual?.trim() ? clean(shot.visual.trim()) : images.join('；'),
      voice: shot?.voice ?? defaultVoice({ block }),
      text,
      characters,
      seconds,
    })
    images = []
  }
  const lead = { text: clean(segment.lead), ...timing({ text: clean(segment.lead), pace }) }
  const totalSeconds = rows.reduce((sum, row) => sum + row.seconds, lead.seconds)
  const budgetSeconds = segment.budgetSeconds > 0 ? segment.budgetSeconds : programme.segmentBudgetSeconds
  return {
    storyId: segment.storyId,
    title: clean(segment.title),
    lead,
    rows,
    totalSeconds,
    budgetSeconds,
    over: totalSeconds - budgetSeconds,
  }
}

/**
 * How long `text` takes to say at `pace` 字 a minute: its 字数 (`countChinese`) in seconds,
 * rounded up to a whole second, so a segment's rows add up to the total the desk sees.
 */
export function secondsOf({ text, pace }: { text: string; pace: number }): number {
  assertPace({ pace })
  // Multiply before dividing: 120 字 at 240 is exactly 30 s, not 30.000000000000004 rounded up.
  return Math.ceil((countChinese(text).total * 60) / pace)
}

/** Refuses a pace no duration can come from (zero, negative, not a number). */
export function assertPace({ pace }: { pace: number }): void {
  if (!(Number.isFinite(pace) && pace > 0)) {
    throw new RangeError(`TV pace must be a positive number of 字 a minute, got ${pace}`)
  }
}

/** `3分12秒`; `0分48秒` under a minute, `4分00秒` on the minute. */
export function describeDuration(seconds: number): string {
  const whole = Math.max(0, Math.ceil(seconds))
  return `${Math.floor(whole / 60)}分${String(whole % 60).padStart(2, '0')}秒`
}

/** One line the desk reads: `时长 3分12秒 / 4分00秒，余 48 秒` or `…，超出 12 秒`. */
export function describeSegmentFit({ seconds, budget }: { seconds: number; budget: number }): string {
  const over = seconds - budget
  return `时长 ${describeDuration(seconds)} / ${describeDuration(budget)}，${over > 0 ? `超出 ${over} 秒` : `余 ${-over} 秒`}`
}

/** Text a renderer may show: no control characters, no lone surrogates. */
const clean = (text: string): string => stripControlCharacters(text)

function timing({ text, pace }: { text: string; pace: number }) {
  return { characters: countChinese(text).total, seconds: secondsOf({ text, pace }) }
}

const defaultVoice = ({ block }: { block: Block }): TvVoice => (block.kind === 'quote' ? 'sync' : 'narration')

/** The desk's shot for each paragraph; a later shot for the same paragraph wins. */
function shotsByParagraph({ shots }: { shots: TvShot[] }): Map<number, TvShot> {
  return new Map(shots.map((shot) => [shot.paragraph, shot]))
}
