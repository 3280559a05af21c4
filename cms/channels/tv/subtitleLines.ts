import { stripControlCharacters } from '../html.ts'

/**
 * Breaks a text into subtitle lines of at most `lineLength` 字, the way Chinese subtitles are
 * set: one line a cue; a line break in the text always starts a new line; a line ends after
 * ，。；：！？、 or a closing quote where it can, never inside a run of Latin letters and digits
 * (`LNG`, `2024`, `99.8%`), and is cut mid-phrase (at a dash, a space or an opening quote if
 * it can) only when the phrase is longer than a line; no line starts with closing punctuation or ends on an opening one. A line's final
 * ，。、；： is dropped (subtitles end lines without them); every 汉字 is kept.
 *
 * 字 are display cells: a 汉字, a full-width mark or a wide emoji is one, any half-width
 * character half, invisible format characters nothing. A Latin run wider than a whole line is
 * the one line that may be longer: it stands alone rather than be broken.
 *
 * `-->` becomes `→` and control characters go, so a line can never read as SRT timing.
 */
export function subtitleLines({ text, lineLength }: { text: string; lineLength: number }): string[] {
  if (!(Number.isFinite(lineLength) && lineLength >= 1)) {
    throw new RangeError(`subtitle line length must be at least 1 字, got ${lineLength}`)
  }
  return stripControlCharacters(text)
    .replaceAll('-->', '→')
    .split(/\r\n?|\n|\u2028|\u2029/)
    .flatMap((line) => breakLine({ atoms: atomsOf(line.replaceAll('\t', ' ')), lineLength }))
}

interface Atom {
  text: string
  width: number
  isLatin: boolean
  isSpace: boolean
}

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' })

/** The text as unbreakable pieces: one grapheme each, but a Latin/digit run is one piece. */
function atomsOf(line: string): Atom[] {
  const atoms: Atom[] = []
  for (const { segment } of graphemes.segment(line)) {
    const isLatin = LATIN.test(segment)
    const last = atoms.at(-1)
    if (isLatin && last?.isLatin) {
      last.text += segment
      last.width += 0.5
      continue
    }
    atoms.push({ text: segment, width: widthOf(segment), isLatin, isSpace: /^\s+$/u.test(segment) })
  }
  return atoms
}

function widthOf(grapheme: string): number {
  if (INVISIBLE.test(grapheme)) return 0
  return WIDE.test(grapheme) ? 1 : 0.5
}

function breakLine({ atoms, lineLength }: { atoms: Atom[]; lineLength: number }): string[] {
  const lines: string[] = []
  let start = 0
  while (start < atoms.length) {
    const end = cutAfter({ atoms, start, lineLength })
    const line = atoms
      .slice(start, end)
      .map((atom) => atom.text)
      .join('')
      .replace(/^\s+/u, '')
      .replace(/[\s，。、；：]+$/u, '')
    if (VISIBLE.test(line)) lines.push(line)
    start = end
  }
  return lines
}

/**
 * Where the line that begins at `start` ends: the last place it fits after ，。；：！？、 or a
 * closing quote; else at a space, after a dash or an ellipsis, or before an opening quote;
 * else the last place it fits at all; else (a Latin run wider than a line) after its first piece.
 */
function cutAfter({
  atoms,
  start,
  lineLength,
}: {
  atoms: Atom[]
  start: number
  lineLength: number
}): number {
  let width = 0
  let droppable = 0
  let hasBegun = false
  let preferred = 0
  let soft = 0
  let allowed = 0
  let fits = 0
  for (let end = start + 1; end <= atoms.length; end += 1) {
    const atom = atoms[end - 1] as Atom
    if (hasBegun || !atom.isSpace) {
      hasBegun = true
      width += atom.width
      droppable = atom.isSpace || DROPPED_AT_END.has(atom.text) ? droppable + atom.width : 0
    }
    // A line's dropped ending takes no room: a full line may still take its final ，。
    if (width - droppable > lineLength) break
    if (end === atoms.length) return end
    fits = end
    const next = atoms[end] as Atom
    if (NEVER_STARTS_A_LINE.has(next.text) || NEVER_ENDS_A_LINE.has(atom.text)) continue
    allowed = end
    if (BREAK_AFTER.has(atom.text)) preferred = end
    else if (
      atom.isSpace ||
      next.isSpace ||
      BREAK_AFTER_IF_NEED_BE.has(atom.text) ||
      NEVER_ENDS_A_LINE.has(next.text)
    )
      soft = end
  }
  return preferred || soft || allowed || fits || start + 1
}

const LATIN = /^[A-Za-z0-9.%+\-_/:@&'#]$/u
const INVISIBLE = /^[\p{Cf}\p{Mn}\p{Me}]+$/u
const VISIBLE = /[^\s\p{Cf}\p{Mn}\p{Me}]/u
const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Emoji_Presentation}〇\u2e80-\u303f\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7]/u
const DROPPED_AT_END = new Set(['，', '。', '、', '；', '：'])
const CLOSING = ['”', '’', '」', '』', '）', '》', '】', '〕', '〉', ')', ']']
const BREAK_AFTER = new Set(['，', '。', '；', '：', '！', '？', '、', ',', ';', '!', '?', ...CLOSING])
const BREAK_AFTER_IF_NEED_BE = new Set(['—', '…'])
const NEVER_STARTS_A_LINE = new Set([...BREAK_AFTER, '…', '—', '·'])
const NEVER_ENDS_A_LINE = new Set(['“', '‘', '「', '『', '（', '《', '【', '〔', '〈', '(', '['])
