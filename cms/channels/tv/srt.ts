import { countChinese } from '../chineseCount.ts'
import { assertPace } from './script.ts'
import { subtitleLines } from './subtitleLines.ts'
import type { TvProgrammeSettings, TvSegmentScript } from './types.ts'

/**
 * The episode's subtitles as SRT: every segment in order, its 口播导语 then every row (解说
 * and 同期声 alike), one line of at most `subtitleLineLength` 字 a cue (see `subtitleLines`).
 * Cues follow each other from 00:00:00,000, each on screen for its 字数 at the programme's
 * pace and at least a second; the editor moves them onto the cut.
 */
export function buildSrt({
  scripts,
  programme,
}: {
  scripts: TvSegmentScript[]
  programme: TvProgrammeSettings
}): string {
  const { pace, subtitleLineLength: lineLength } = programme
  assertPace({ pace })
  const texts = scripts.flatMap((script) => [script.lead.text, ...script.rows.map((row) => row.text)])
  let at = 0
  return texts
    .flatMap((text) => subtitleLines({ text, lineLength }))
    .map((line, index) => {
      const duration = Math.max(1000, Math.round((countChinese(line).total * 60_000) / pace))
      const cue = `${index + 1}\n${srtTime(at)} --> ${srtTime(at + duration)}\n${line}\n\n`
      at += duration
      return cue
    })
    .join('')
}

/** `HH:MM:SS,mmm`, SRT's clock. */
function srtTime(milliseconds: number): string {
  const pad = (value: number, width = 2) => String(value).padStart(width, '0')
  const hours = Math.floor(milliseconds / 3_600_000)
  const minutes = Math.floor(milliseconds / 60_000) % 60
  const seconds = Math.floor(milliseconds / 1000) % 60
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)},${pad(milliseconds % 1000, 3)}`
}
