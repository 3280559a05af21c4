import type { Block } from '../lexical/toBlocks.ts'
import type { CharacterCounts, PlatedImage, PublishedStory } from '../types.ts'

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
