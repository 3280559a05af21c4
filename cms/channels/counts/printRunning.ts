import { countChinese } from '../chineseCount.ts'
import { type Block, blockText } from '../lexical/toBlocks.ts'

/**
 * 正文 running count as print fits it into a slot: the 字数 of paragraphs, quotes and list
 * items plus that of the 小标题, each counted as one text with a line between blocks
 * (headlines and 图说 are set apart and not counted against the slot). `printStory`'s
 * `counts.running` for the same body.
 */
export function printRunning({ blocks }: { blocks: readonly Block[] }): number {
  const textOf = (kinds: readonly Block['kind'][]) =>
    blocks
      .filter((block) => kinds.includes(block.kind))
      .map(blockText)
      .join('\n')
  return countChinese(textOf(['paragraph', 'quote', 'item'])).total + countChinese(textOf(['subhead'])).total
}
