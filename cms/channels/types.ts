/**
 * The plate: the channel-neutral form of a published story that every outlet (site, feeds,
 * print) serves. Plain JSON, so it crosses process boundaries (the site's loader) unchanged.
 */

export interface Rendition {
  /** `thumbnail`, `card`, `hero`, `heroAvif`, `og` or `original`. */
  name: string
  /** Root-relative URL, e.g. `/media/weld-768x512.webp`. */
  url: string
  filename: string
  mimeType: string
  width: number
  height: number
  /** Bytes on disk; feeds need it for enclosures. */
  filesize: number
}

export interface PlatedImage {
  id: number
  alt: string
  caption: string | null
  credit: string | null
  width: number
  height: number
  renditions: Rendition[]
}

export interface PlatedSection {
  id: number
  name: string
  slug: string
  description: string | null
  order: number
}

export interface PlatedHonour {
  title: string
  level: string
  year: number
}

export interface PlatedPerson {
  id: number
  name: string
  slug: string
  workplace: string | null
  trade: string | null
  unionBranch: string | null
  bio: string | null
  honours: PlatedHonour[]
  portrait: PlatedImage | null
}

export interface PlatedCorrection {
  note: string
  /** ISO date-time the correction was published. */
  at: string | null
}

/** How the plate counts a story; see `countChinese` for the rule. */
export interface CharacterCounts {
  hanzi: number
  punctuation: number
  /** Letters and digits, each run counted at its printed width (two half-width to a cell). */
  latinCells: number
  /** hanzi + punctuation + latinCells: what a Chinese newspaper calls 字数. */
  total: number
}

export interface Rights {
  copyrightHolder: string
  usageTerms: string
}

export interface PublishedStory {
  id: number
  /** Never changes for the life of the story, whatever is corrected. */
  guid: string
  /** 1 on first publication, +1 per published correction. */
  version: number
  slug: string
  /** Root-relative, e.g. `/stories/chen-hai-sheng/`. */
  path: string
  kicker: string | null
  title: string
  subtitle: string | null
  summary: string | null
  /** Safe HTML with root-relative links and images; `absoluteHtml` makes it absolute. */
  bodyHtml: string
  bodyText: string
  counts: CharacterCounts
  readingMinutes: number
  hero: PlatedImage | null
  /** Images inside the body, in reading order. */
  images: PlatedImage[]
  people: PlatedPerson[]
  section: PlatedSection | null
  tags: string[]
  byline: string | null
  source: string | null
  dateline: string | null
  publishedAt: string
  updatedAt: string
  corrections: PlatedCorrection[]
  /** Null for the public plate: an embargoed story never reaches it. */
  embargoUntil: string | null
  rights: Rights
}
