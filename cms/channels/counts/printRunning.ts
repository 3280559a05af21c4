import { countChinese } from '../chineseCount.ts'
import { type Block, blockText } from '../lexical/toBlocks.ts'
import type { CharacterCounts } from '../types.ts'

/**
 * 正文 as print counts it: the paragraphs, quotes and list items (`body`) and the 小标题
 * (`subheads`), each counted as one text with a line between blocks; `running`, their sum, is
 * what a slot's budget limits (headlines and 图说 are set apart and not counted against it).
 */
export function printBodyCounts({ blocks }: { blocks: readonly Block[] }): {
  body: CharacterCounts
  subheads: CharacterCounts
  running: number
} {
  const textOf = (kinds: readonly Block['kind'][]) =>
    blocks
      .filter((block) => kinds.includes(block.kind))
      .map(blockText)
      .join('\n')
  const body = countChinese(textOf(['paragraph', 'quote', 'item']))
  const subheads = countChinese(textOf(['subhead']))
  return { body, subheads, running: body.total + subheads.total }
}
