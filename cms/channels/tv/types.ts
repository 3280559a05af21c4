import type { Block } from '../lexical/toBlocks.ts'

/** Who is heard over a shot: the programme's narrator (解说) or the people on screen (同期声). */
export type TvVoice = 'narration' | 'sync'

/** A TV programme's house settings, as the outlet reads them from its programme document. */
export interface TvProgrammeSettings {
  name: string
  /** 字/min, default 240 */
  pace: number
  /** subtitle line length in 字, default 16 */
  subtitleLineLength: number
  /** default segment budget, seconds */
  segmentBudgetSeconds: number
}

/** The settings a programme starts with: 劳动者 reads at 240 字 a minute, 16 字 to a subtitle. */
export const defaultTvProgramme: TvProgrammeSettings = {
  name: '劳动者',
  pace: 240,
  subtitleLineLength: 16,
  segmentBudgetSeconds: 240,
}

/** What the TV desk writes per paragraph of a segment; `paragraph` is 1-based over the story's text blocks (images excluded). */
export interface TvShot {
  paragraph: number
  visual?: string | null
  voice?: TvVoice | null
  /** TV-only rewording of that paragraph's words, or null to keep the story's */
  text?: string | null
}

/** One story as a segment of an episode, with the TV desk's shots over its paragraphs. */
export interface TvSegmentInput {
  storyId: number
  title: string
  /** 口播导语 (anchor lead): the segment's own, else the story summary */
  lead: string
  blocks: Block[]
  shots: TvShot[]
  budgetSeconds: number
}

/** One line of the two-column script (画面 | 解说/同期声), timed from its 字数. */
export interface TvRow {
  paragraph: number
  visual: string
  voice: TvVoice
  text: string
  characters: number
  seconds: number
}

/** A segment as the script, the subtitles, the prompter and the DOCX show it. */
export interface TvSegmentScript {
  storyId: number
  title: string
  lead: { text: string; characters: number; seconds: number }
  rows: TvRow[]
  totalSeconds: number
  budgetSeconds: number
  /** positive: over budget by that many seconds */
  over: number
}
