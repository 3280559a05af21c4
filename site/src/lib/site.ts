import type { PlatedPerson, PlatedSection, PublishedStory } from '../../../cms/channels/types.ts'

export { house } from '../../../cms/channels/house.ts'

export const SECTION_PAGE_SIZE = 20
export const TIME_ZONE = 'Asia/Shanghai'

const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, dateStyle: 'long' })
const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})
const monthFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, year: 'numeric', month: 'long' })

/** `2026年11月1日` */
export const chineseDate = (iso: string) => dateFormat.format(new Date(iso))
/** `2026年11月1日 10:00` */
export const chineseDateTime = (iso: string) => dateTimeFormat.format(new Date(iso))

/** `2026-11`, the month a story belongs to in Beijing time. */
const monthKeyFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
})

export function monthKey(iso: string): string {
  const parts = monthKeyFormat.formatToParts(new Date(iso))
  const year = parts.find((part) => part.type === 'year')?.value
  const month = parts.find((part) => part.type === 'month')?.value
  return `${year}-${month}`
}

/** `2026年11月` for a `2026-11` key. */
export const monthLabel = (key: string) => monthFormat.format(new Date(`${key}-15T00:00:00+08:00`))

export const sectionPath = (section: Pick<PlatedSection, 'slug'>) => `/sections/${section.slug}/`
export const tagPath = (tag: string) => `/tags/${encodeURIComponent(tag)}/`
export const personPath = (person: Pick<PlatedPerson, 'slug'>) => `/people/${person.slug}/`
export const monthPath = (key: string) => `/archive/${key}/`

/** What ordering, grouping and relatedness read of a story (a full story or its summary). */
export type Listed = Pick<PublishedStory, 'id' | 'publishedAt' | 'people' | 'tags' | 'section'>

/** Newest first; ties by id so every build orders alike. */
export const byNewest = (a: Listed, b: Listed) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id

export function newestFirst<T extends Listed>(stories: T[]): T[] {
  return [...stories].sort(byNewest)
}

export function sectionsOf(stories: Listed[]): PlatedSection[] {
  const byId = new Map<number, PlatedSection>()
  for (const story of stories) if (story.section) byId.set(story.section.id, story.section)
  return [...byId.values()].sort((a, b) => a.order - b.order || a.id - b.id)
}

export function peopleOf(stories: Listed[]): PlatedPerson[] {
  const byId = new Map<number, PlatedPerson>()
  for (const story of stories) for (const person of story.people) byId.set(person.id, person)
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN-u-co-pinyin'))
}

export function tagsOf(stories: Listed[]): string[] {
  return [...new Set(stories.flatMap((story) => story.tags))].sort((a, b) =>
    a.localeCompare(b, 'zh-CN-u-co-pinyin'),
  )
}

/** How many of the newest earlier stories of each shared person, tag and the section are weighed. */
export const RELATED_CANDIDATES_PER_LINK = 24

type RelatedIndex<T extends Listed> = {
  byPerson: Map<number, T[]>
  byTag: Map<string, T[]>
  bySection: Map<number, T[]>
  /** Position in the newest-first order. */
  rank: Map<number, number>
}

const relatedIndexes = new WeakMap<Listed[], RelatedIndex<Listed>>()

/** People, tags and sections to their stories, newest first: built once per list of stories. */
function relatedIndex<T extends Listed>(stories: T[]): RelatedIndex<T> {
  const cached = relatedIndexes.get(stories)
  if (cached) return cached as RelatedIndex<T>
  const index: RelatedIndex<T> = {
    byPerson: new Map(),
    byTag: new Map(),
    bySection: new Map(),
    rank: new Map(),
  }
  const add = <K>(map: Map<K, T[]>, key: K, story: T) => {
    const list = map.get(key)
    if (list) list.push(story)
    else map.set(key, [story])
  }
  for (const [rank, story] of newestFirst(stories).entries()) {
    index.rank.set(story.id, rank)
    for (const person of story.people) add(index.byPerson, person.id, story)
    for (const tag of new Set(story.tags)) add(index.byTag, tag, story)
    if (story.section) add(index.bySection, story.section.id, story)
  }
  relatedIndexes.set(stories, index as RelatedIndex<Listed>)
  return index
}

/**
 * Up to `limit` earlier stories sharing people (4 points each), tags (2 each) or the section
 * (1), strongest link first and newest first among equals: the coverage that led up to this
 * story. Only earlier stories, so publishing a new story never changes an older story's page;
 * and only the newest RELATED_CANDIDATES_PER_LINK earlier stories of each link are weighed,
 * so a page costs the same at 100 stories or 100,000.
 */
export function relatedStories<T extends Listed>({
  story,
  stories,
  limit = 4,
}: {
  story: Listed
  stories: T[]
  limit?: number
}): T[] {
  const index = relatedIndex(stories)
  const own = index.rank.get(story.id) ?? -1
  const candidates = new Map<number, T>()
  const consider = (list: T[] | undefined) => {
    if (!list) return
    // The list is newest first: skip to the first story older than this one.
    let low = 0
    let high = list.length
    while (low < high) {
      const middle = (low + high) >> 1
      if ((index.rank.get(list[middle]?.id ?? 0) ?? 0) <= own) low = middle + 1
      else high = middle
    }
    for (const other of list.slice(low, low + RELATED_CANDIDATES_PER_LINK)) candidates.set(other.id, other)
  }
  for (const person of story.people) consider(index.byPerson.get(person.id))
  for (const tag of new Set(story.tags)) consider(index.byTag.get(tag))
  if (story.section) consider(index.bySection.get(story.section.id))
  const people = new Set(story.people.map((p) => p.id))
  const tags = new Set(story.tags)
  const score = (other: T) =>
    other.people.filter((p) => people.has(p.id)).length * 4 +
    other.tags.filter((t) => tags.has(t)).length * 2 +
    (other.section && other.section.id === story.section?.id ? 1 : 0)
  return [...candidates.values()]
    .map((other) => ({ other, points: score(other), rank: index.rank.get(other.id) ?? 0 }))
    .sort((a, b) => b.points - a.points || a.rank - b.rank)
    .slice(0, limit)
    .map(({ other }) => other)
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the script. */
export const jsonLd = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')
