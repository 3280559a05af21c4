import { stripControlCharacters } from '../html.ts'
import { describeAirDate } from './airDate.ts'
import { describeDuration } from './script.ts'
import type { TvProgrammeSettings, TvSegmentScript } from './types.ts'

/**
 * The episode as plain UTF-8 text for the teleprompter: what the presenter and narrator read,
 * nothing else. Per segment a header line, the 口播导语 and the 解说 rows; a 同期声 row (the
 * interviewee speaks) is one cue line, `〔同期声 N 秒〕`, not its words. One paragraph a line
 * with a blank line between, so the prompter can set it large.
 */
export function buildTeleprompterText({
  scripts,
  programme,
  airDate,
}: {
  scripts: TvSegmentScript[]
  programme: TvProgrammeSettings
  airDate: string
}): string {
  const total = scripts.reduce((sum, script) => sum + script.totalSeconds, 0)
  const paragraphs = [
    `${paragraphsOf(programme.name).join(' ')}　${describeAirDate(airDate)}`,
    `共 ${scripts.length} 条，时长 ${describeDuration(total)}`,
    ...scripts.flatMap((script, index) => [
      `【第${index + 1}条】${paragraphsOf(script.title).join(' ')}（${describeDuration(script.totalSeconds)}）`,
      ...paragraphsOf(script.lead.text),
      ...script.rows.flatMap((row) =>
        row.voice === 'sync' ? [`〔同期声 ${row.seconds} 秒〕`] : paragraphsOf(row.text),
      ),
    ]),
  ]
  return `${paragraphs.join('\n\n')}\n`
}

/** A text's paragraphs, one a line: control characters gone, every line break a new one. */
function paragraphsOf(text: string): string[] {
  return stripControlCharacters(text)
    .split(/\r\n?|\n|\u2028|\u2029/)
    .map((line) => line.replaceAll('\t', ' ').trim())
    .filter(Boolean)
}
