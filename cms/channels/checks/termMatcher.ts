import AhoCorasick from 'modern-ahocorasick'
import { houseWords } from './houseWords.ts'
import { wordBoundaries } from './wordBoundaries.ts'

/** One entry of the house term list (规范用语), as the matcher needs it. */
export interface HouseTermRule {
  term: string
  /** 'block' (禁用) stops a story from going out; 'suggest' (提示) only says so. */
  severity: 'block' | 'suggest'
  replacement?: string | null
  /** Match only where the term is a word of its own (Chinese-aware), not inside a longer word. */
  wholeWord?: boolean | null
  note?: string | null
}

/** Where a rule's term occurs: UTF-16 offsets, `end` exclusive. */
export interface TermHit {
  rule: HouseTermRule
  start: number
  end: number
}

export interface TermMatcher {
  /** The term list's version the matcher was built from. */
  version: string
  /** Every hit in `text`, by start (overlapping hits of different terms are all kept). */
  scan: (text: string) => TermHit[]
}

type Pattern =
  | { kind: 'term'; rule: HouseTermRule }
  /** A replacement that contains its own term: text already in that form is no hit. */
  | { kind: 'correct'; form: string }
  /** A word of the house the segmenter splits (houseWords.ts): no word boundary inside it. */
  | { kind: 'word' }

/**
 * One Aho–Corasick automaton over the list's terms (and the forms and words that decide what
 * is not a hit), so a text is scanned once however long the list. A hit is not reported
 * when the text already has the term's replacement around it (全国总工会 inside 中华全国总工会);
 * a whole-word term must also start and end on word boundaries (`Intl.Segmenter('zh')`,
 * never inside a word of houseWords.ts): 工会 does not hit inside 总工会.
 */
export function buildTermMatcher({
  terms,
  version,
}: {
  terms: readonly HouseTermRule[]
  version: string
}): TermMatcher {
  const patterns: { pattern: string; data: Pattern }[] = []
  const forms = new Set<string>()
  for (const rule of terms) {
    const term = rule.term.trim()
    if (!term) continue
    patterns.push({ pattern: term, data: { kind: 'term', rule } })
    const form = rule.replacement?.trim()
    if (form && form !== term && form.includes(term) && !forms.has(form)) {
      forms.add(form)
      patterns.push({ pattern: form, data: { kind: 'correct', form } })
    }
  }
  if (terms.some((rule) => rule.wholeWord)) {
    for (const word of houseWords) patterns.push({ pattern: word, data: { kind: 'word' } })
  }
  const automaton = new AhoCorasick(patterns)
  const scan = (text: string): TermHit[] => {
    if (!text) return []
    const candidates: TermHit[] = []
    const correct: { form: string; start: number; end: number }[] = []
    const words: { start: number; end: number }[] = []
    for (const match of automaton.search(text)) {
      const pattern = match.data
      if (!pattern) continue
      if (pattern.kind === 'term') candidates.push({ rule: pattern.rule, start: match.start, end: match.end })
      else if (pattern.kind === 'correct')
        correct.push({ form: pattern.form, start: match.start, end: match.end })
      else words.push({ start: match.start, end: match.end })
    }
    if (candidates.length === 0) return []
    const boundaries = wordBoundaries({ text })
    const isWordEdge = (offset: number) =>
      boundaries.isBoundary(offset) && !words.some((word) => word.start < offset && offset < word.end)
    return candidates
      .filter((hit) => {
        const form = hit.rule.replacement?.trim()
        const isAlreadyCorrect = correct.some(
          (found) => found.form === form && found.start <= hit.start && hit.end <= found.end,
        )
        if (isAlreadyCorrect) return false
        return !hit.rule.wholeWord || (isWordEdge(hit.start) && isWordEdge(hit.end))
      })
      .sort((a, b) => a.start - b.start || b.end - a.end)
  }
  return { version, scan }
}

/** Built matchers by list version; a few, since versions only move forward. */
const built = new Map<string, TermMatcher>()
const KEEP_VERSIONS = 3

/** The matcher already built for this version of the list, if any. */
export function cachedTermMatcher({ version }: { version: string }): TermMatcher | undefined {
  return built.get(version)
}

/**
 * The matcher for this version of the list, built once: building is the slow part (about
 * half a second for 10,000 terms), scanning a story takes a millisecond or two.
 */
export function termMatcherFor({
  version,
  terms,
}: {
  version: string
  terms: readonly HouseTermRule[]
}): TermMatcher {
  const cached = built.get(version)
  if (cached) return cached
  const matcher = buildTermMatcher({ terms, version })
  built.set(version, matcher)
  for (const old of built.keys()) {
    if (built.size <= KEEP_VERSIONS) break
    built.delete(old)
  }
  return matcher
}
