import type { CharacterCounts } from './types.ts'

/**
 * Counts copy the way a Chinese newspaper does (字数):
 * - each 汉字 (Han script, including 〇) is one;
 * - each full-width punctuation mark (，。、；：？！“”‘’（）《》【】…—·「」 and the rest of
 *   the CJK punctuation and full-width forms blocks) is one;
 * - a run of half-width letters, digits and their joining marks (`LNG`, `99.8%`, `2024`)
 *   takes half a cell per character, rounded up per run: `LNG` is 2, `2024` is 2, `5G` is 1;
 * - spaces, line breaks and anything else (emoji, symbols) are not counted.
 */
export function countChinese(text: string): CharacterCounts {
  let hanzi = 0
  let punctuation = 0
  let latinCells = 0
  let runLength = 0
  const endRun = () => {
    latinCells += Math.ceil(runLength / 2)
    runLength = 0
  }
  for (const char of text) {
    // Most of the copy: CJK Unified Ideographs, told apart without a regular expression.
    const code = char.charCodeAt(0)
    if ((code >= 0x4e00 && code <= 0x9fff) || HAN.test(char)) {
      endRun()
      hanzi += 1
    } else if (FULL_WIDTH_PUNCTUATION.test(char)) {
      endRun()
      punctuation += 1
    } else if (HALF_WIDTH_RUN.test(char)) {
      runLength += 1
    } else {
      endRun()
    }
  }
  endRun()
  return { hanzi, punctuation, latinCells, total: hanzi + punctuation + latinCells }
}

/** Characters per minute for reading Chinese news copy on screen. */
export const READING_CHARACTERS_PER_MINUTE = 400

/** Whole minutes, at least one. */
export function readingMinutes(counts: CharacterCounts): number {
  return Math.max(1, Math.ceil(counts.total / READING_CHARACTERS_PER_MINUTE))
}

const HAN = /[\p{Script=Han}〇]/u
const FULL_WIDTH_PUNCTUATION =
  /[\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7\u2027\ufe30-\ufe4f]/u
const HALF_WIDTH_RUN = /[A-Za-z0-9.%+\-_/:@&'#]/u
