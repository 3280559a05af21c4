/**
 * How text becomes search tokens. Chinese has no spaces between words, so a story is indexed
 * by every pair of neighbouring characters (bigrams) and every single character (for one-字
 * queries); a query of two or more characters asks for its bigrams. Runs of ASCII letters and
 * digits are one token each, lowercased. The index only narrows the candidates: every hit is
 * then checked for the exact term (see searchQuery.ts), so a bigram shared by chance finds
 * nothing, and a term found in the text is never missed.
 */

/** The longest query, in characters: longer is refused, not cut. */
export const MAX_TERM_LENGTH = 100

/** A term as it is looked for: trimmed, inner whitespace collapsed, ASCII lowercased. */
export function normalizeTerm(raw: string): string {
  return lowerAscii(raw.trim().replace(/\s+/g, ' '))
}

/** Every distinct token of a text: ASCII words, and each character and bigram of the other runs. */
export function textTokens(text: string): string[] {
  const tokens = new Set<string>()
  for (const run of runsOf(lowerAscii(text))) {
    if (run.isAscii) {
      tokens.add(run.text)
      continue
    }
    const chars = Array.from(run.text)
    for (let at = 0; at < chars.length; at += 1) {
      tokens.add(chars[at] as string)
      if (at + 1 < chars.length) tokens.add(`${chars[at]}${chars[at + 1]}`)
    }
  }
  return [...tokens]
}

/**
 * The tokens a text containing `term` must have: its ASCII words, the bigrams of its longer
 * runs, the character of a one-character run. ASCII words are whole tokens, so a term that
 * starts or ends inside an ASCII word of the text is not found (Chinese is found anywhere).
 */
export function termTokens(term: string): string[] {
  const tokens = new Set<string>()
  for (const run of runsOf(normalizeTerm(term))) {
    if (run.isAscii) {
      tokens.add(run.text)
      continue
    }
    const chars = Array.from(run.text)
    if (chars.length === 1) tokens.add(chars[0] as string)
    for (let at = 0; at + 1 < chars.length; at += 1) tokens.add(`${chars[at]}${chars[at + 1]}`)
  }
  return [...tokens]
}

type Run = { text: string; isAscii: boolean }

/** Runs of letters and digits: ASCII ones apart from the others (punctuation and spaces split both). */
function runsOf(text: string): Run[] {
  return Array.from(text.matchAll(/[a-z0-9]+|[^\p{ASCII}\s\p{P}\p{S}\p{Z}\p{C}]+/gu), (match) => ({
    text: match[0],
    isAscii: /^[a-z0-9]/.test(match[0]),
  }))
}

const lowerAscii = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
