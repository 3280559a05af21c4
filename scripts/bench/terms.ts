import { buildTermMatcher, type HouseTermRule } from '../../cms/channels/checks/termMatcher.ts'
import { countChinese } from '../../cms/channels/chineseCount.ts'
import { demoStories } from '../../cms/seed/content/stories.ts'
import type { Figure } from './report.ts'

/** The goal's sizes: a 6,000-字 story against a list of 10,000 terms. */
const STORY_HANZI = 6_000
const TERMS = 10_000
/** Scans timed a run: one scan takes about a millisecond, too short to time alone. */
const SCANS_PER_RUN = 50

/**
 * The house term check (规范用语) at the size of a big newsroom's list: 10,000 terms (a
 * tenth taken from the story itself, so it has hundreds of hits, a third of them whole-word
 * terms that need the Chinese word segmenter) against a 6,000-字 story made of the demo
 * stories' paragraphs. Reported: one scan (the figure the goal is set on, each of
 * `runs × 50` scans a sample) and building the automaton, which happens once per version of
 * the list. Pure CPU: no database or server.
 */
export async function benchTerms({ runs }: { runs: number }): Promise<Figure[]> {
  const story = storyText()
  const terms = termList({ story })
  const builds: number[] = []
  const scans: number[] = []
  let hits = 0
  for (let run = 0; run < runs; run += 1) {
    const builtAt = performance.now()
    const matcher = buildTermMatcher({ terms, version: `bench-${run}` })
    builds.push(performance.now() - builtAt)
    for (let scan = 0; scan < SCANS_PER_RUN; scan += 1) {
      const scannedAt = performance.now()
      hits = matcher.scan(story).length
      scans.push(performance.now() - scannedAt)
    }
  }
  console.log(`bench: terms: ${countChinese(story).hanzi} 汉字, ${terms.length} terms, ${hits} hits a scan`)
  return [
    {
      name: `scan a ${STORY_HANZI.toLocaleString('en-US')}-字 story against ${TERMS.toLocaleString('en-US')} house terms`,
      unit: 'ms',
      samples: scans,
      goal: '≤ 20 ms',
    },
    {
      name: `build the matcher for ${TERMS.toLocaleString('en-US')} house terms (once per list version)`,
      unit: 'ms',
      samples: builds,
    },
  ]
}

/** The demo stories' paragraphs, in turn, until the text has 6,000 汉字. */
function storyText(): string {
  const paragraphs = demoStories.flatMap((story) =>
    story.body.flatMap((block) => ('p' in block ? [block.p] : 'quote' in block ? [block.quote] : [])),
  )
  const chosen: string[] = []
  let hanzi = 0
  for (let index = 0; hanzi < STORY_HANZI; index += 1) {
    const paragraph = paragraphs[index % paragraphs.length] ?? ''
    const room = STORY_HANZI - hanzi
    const counted = countChinese(paragraph).hanzi
    const text = counted <= room ? paragraph : cutAtHanzi({ text: paragraph, hanzi: room })
    chosen.push(text)
    hanzi += Math.min(counted, room)
  }
  return chosen.join('\n\n')
}

function cutAtHanzi({ text, hanzi }: { text: string; hanzi: number }): string {
  let seen = 0
  let end = 0
  for (const char of text) {
    if (seen >= hanzi) break
    end += char.length
    if (countChinese(char).hanzi) seen += 1
  }
  return text.slice(0, end)
}

/**
 * 10,000 distinct terms, the same every run (a seeded generator): nine in ten are 2–5 common
 * 汉字 at random (a few match by chance), one in ten a 2–4 字 piece of the story itself.
 */
function termList({ story }: { story: string }): HouseTermRule[] {
  const random = mulberry32(18)
  const han = [...story].filter((char) => countChinese(char).hanzi === 1)
  const terms = new Map<string, HouseTermRule>()
  const add = (term: string) => {
    if (terms.has(term)) return
    const size = terms.size
    terms.set(term, {
      term,
      severity: size % 7 === 0 ? 'block' : 'suggest',
      replacement: size % 2 === 0 ? `${term}（规范）` : null,
      wholeWord: size % 3 === 0,
    })
  }
  while (terms.size < TERMS / 10) {
    const start = Math.floor(random() * (story.length - 4))
    const piece = story.slice(start, start + 2 + Math.floor(random() * 3))
    if (countChinese(piece).hanzi === piece.length) add(piece)
  }
  while (terms.size < TERMS) {
    const length = 2 + Math.floor(random() * 4)
    add(Array.from({ length }, () => han[Math.floor(random() * han.length)]).join(''))
  }
  return [...terms.values()]
}

/** A small seeded generator: the same list on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
