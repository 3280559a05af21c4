/** Chinese-aware word segmentation: ICU's dictionary for Chinese, the usual rules for the rest. */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

/** Where a word always ends: whitespace, punctuation and symbols (，。、“” ( ) and the like). */
const SEPARATOR = /[\s\p{P}\p{S}]/u

/**
 * Word boundaries of one text, segmented lazily a clause at a time: only the clauses a
 * whole-word candidate falls in are segmented (a word never runs across punctuation or
 * whitespace), so a long story with few candidates costs little. `isBoundary(i)` says
 * whether a word starts or ends at UTF-16 offset `i`.
 */
export function wordBoundaries({ text }: { text: string }): { isBoundary: (offset: number) => boolean } {
  // Each segmented clause by its start; boundaries as absolute offsets.
  const clauses = new Map<number, Set<number>>()
  const isBoundary = (offset: number): boolean => {
    if (offset <= 0 || offset >= text.length) return true
    if (isSeparator(text, offset - 1) || isSeparator(text, offset)) return true
    let start = offset
    while (start > 0 && !isSeparator(text, start - 1)) start -= 1
    let boundaries = clauses.get(start)
    if (!boundaries) {
      let end = offset
      while (end < text.length && !isSeparator(text, end)) end += 1
      boundaries = new Set<number>()
      for (const segment of segmenter.segment(text.slice(start, end))) boundaries.add(start + segment.index)
      clauses.set(start, boundaries)
    }
    return boundaries.has(offset)
  }
  return { isBoundary }
}

function isSeparator(text: string, index: number): boolean {
  const code = text.charCodeAt(index)
  // Surrogate halves belong to a character outside the BMP (an emoji, a rare 汉字): never a separator.
  if (code >= 0xd800 && code <= 0xdfff) return false
  return SEPARATOR.test(text[index] ?? '')
}
