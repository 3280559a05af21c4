import { blockText } from '../lexical/toBlocks.ts'
import type { CharacterCounts } from '../types.ts'
import type { PrintStory } from './types.ts'

const describe = (counts: CharacterCounts) => `${counts.total} 字`

/**
 * One story as plain UTF-8 text for proofreading, its counts in a header: 正文 against the
 * slot's budget, headlines and captions apart. Paragraphs are separated by a blank line.
 */
export function buildPlainText({
  story,
  budget,
  label,
}: {
  story: PrintStory
  budget: number
  label: string
}): string {
  const { counts } = story
  const over = counts.running - budget
  const fit = over > 0 ? `超出 ${over} 字` : `余 ${-over} 字`
  const header = [
    `# ${label}`,
    `# 正文 ${counts.running} 字（含小标题 ${counts.subheads.total} 字）/ 预算 ${budget} 字，${fit}`,
    `# 标题 ${describe(counts.headlines)} · 图说 ${describe(counts.captions)} · 版本 ${story.plate.version}`,
  ]
  const head = [story.kicker, story.title, story.subtitle, story.plate.byline, story.plate.summary].filter(
    Boolean,
  )
  const body = story.blocks.map((block) =>
    block.kind === 'image' ? `［图说］${blockText(block)}` : blockText(block),
  )
  return `${[...header, '', ...head, '', ...body.filter(Boolean).flatMap((p) => [p, ''])].join('\n').trimEnd()}\n`
}
