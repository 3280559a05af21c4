import type { Story } from '../../payload-types.ts'
import { countChinese } from '../chineseCount.ts'
import type { LexicalNode } from '../lexical/nodes.ts'
import { type Block, blockText, lexicalToBlocks } from '../lexical/toBlocks.ts'
import { plateImage, plateStory } from '../plateStory.ts'
import type { CharacterCounts, PlatedImage, PublishedStory, Rights } from '../types.ts'

export interface PrintOverrides {
  kicker?: string | null
  title?: string | null
  subtitle?: string | null
}

/** A story as the print column sets it. */
export interface PrintStory {
  plate: PublishedStory
  /** The print headline: the slot's print-only overrides, else the web's. */
  kicker: string | null
  title: string
  subtitle: string | null
  blocks: Block[]
  /** Body images in order, with the caption print shows (the slot's, else the image's). */
  figures: { image: PlatedImage; caption: string | null }[]
  counts: PrintCounts
}

/**
 * How the column counts a story, by the newspaper rule of `countChinese`:
 * `running` (正文: paragraphs, quotes, list items and 小标题) is what a slot's budget limits;
 * headlines (肩题/主题/副题) and captions (图说) take space of their own and are counted apart.
 */
export interface PrintCounts {
  headlines: CharacterCounts
  body: CharacterCounts
  subheads: CharacterCounts
  captions: CharacterCounts
  running: number
}

export function printStory({
  doc,
  overrides = {},
  rights,
}: {
  doc: Story
  overrides?: PrintOverrides
  rights: Rights
}): PrintStory {
  const plate = plateStory({ doc, rights })
  const blocks = lexicalToBlocks({ root: (doc.body?.root ?? null) as unknown as LexicalNode | null })
  const figures = blocks.flatMap((block) => {
    if (block.kind !== 'image') return []
    const image = plateImage(block.value)
    return image ? [{ image, caption: block.caption ?? image.caption }] : []
  })
  const kicker = overrides.kicker?.trim() || plate.kicker
  const title = overrides.title?.trim() || plate.title
  const subtitle = overrides.subtitle?.trim() || plate.subtitle
  const textOf = (kinds: Block['kind'][]) =>
    blocks
      .filter((block) => kinds.includes(block.kind))
      .map(blockText)
      .join('\n')
  const body = countChinese(textOf(['paragraph', 'quote', 'item']))
  const subheads = countChinese(textOf(['subhead']))
  return {
    plate,
    kicker,
    title,
    subtitle,
    blocks,
    figures,
    counts: {
      headlines: countChinese([kicker, title, subtitle].filter(Boolean).join('\n')),
      body,
      subheads,
      captions: countChinese(figures.map((figure) => figure.caption ?? '').join('\n')),
      running: body.total + subheads.total,
    },
  }
}

/** Over (positive) or under (negative) the budget, in characters. */
export const overBy = ({ counts, budget }: { counts: PrintCounts; budget: number }) => counts.running - budget
