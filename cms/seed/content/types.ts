/** Demo content is plain data; `cms/seed/` turns it into Payload documents. */

export type DemoSection = {
  key: string
  name: string
  slug: string
  description: string
  order: number
  /** 三审: how many review levels the section asks for (the default, 2, when left out) */
  reviewLevels?: 1 | 2 | 3
}

export type HonourLevel = 'national' | 'provincial' | 'municipal' | 'district' | 'enterprise'

export type DemoPerson = {
  key: string
  name: string
  workplace: string
  trade: string
  unionBranch: string
  bio: string
  honours: { title: string; level: HonourLevel; year: number }[]
  /** index into the generated demo image pool (0–11) */
  portrait: number
}

/** One block of a story body, in reading order. */
export type DemoBlock =
  | { p: string }
  | { h2: string }
  | { h3: string }
  | { quote: string }
  | { ul: string[] }
  | { ol: string[] }
  /** an inline image from the demo pool (0–11) with its caption */
  | { image: number; caption: string }
  /** a paragraph whose `link.text` (a substring of `p`) links to `link.url` */
  | { p: string; link: { text: string; url: string } }

export type DemoStoryState = 'published' | 'draft' | 'scheduled'

export type DemoStory = {
  key: string
  state: DemoStoryState
  section: string
  kicker?: string
  title: string
  subtitle?: string
  summary: string
  /** the WeChat edition's own title or digest, where it differs from the web's */
  wechat?: { title?: string; digest?: string }
  body: DemoBlock[]
  /** index into the demo image pool (0–11) */
  hero: number
  bylineText: string
  source: string
  dateline: string
  tags: string[]
  people: string[]
  /** days before the seed's reference date (published) or after it (scheduled) */
  daysFromNow: number
}

/** One entry of the demo house term list (规范用语). */
export type DemoHouseTerm = {
  term: string
  /** block: 禁用, stops a story; suggest: 提示 */
  severity: 'block' | 'suggest'
  replacement: string
  wholeWord?: boolean
  note: string
}
