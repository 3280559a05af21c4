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
export function monthKey(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
  }).formatToParts(new Date(iso))
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

/** Newest first; ties by id so every build orders alike. */
export function newestFirst(stories: PublishedStory[]): PublishedStory[] {
  return [...stories].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id)
}

export function sectionsOf(stories: PublishedStory[]): PlatedSection[] {
  const byId = new Map<number, PlatedSection>()
  for (const story of stories) if (story.section) byId.set(story.section.id, story.section)
  return [...byId.values()].sort((a, b) => a.order - b.order || a.id - b.id)
}

export function peopleOf(stories: PublishedStory[]): PlatedPerson[] {
  const byId = new Map<number, PlatedPerson>()
  for (const story of stories) for (const person of story.people) byId.set(person.id, person)
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN-u-co-pinyin'))
}

export function tagsOf(stories: PublishedStory[]): string[] {
  return [...new Set(stories.flatMap((story) => story.tags))].sort((a, b) =>
    a.localeCompare(b, 'zh-CN-u-co-pinyin'),
  )
}

/** Up to `limit` other stories sharing people, tags or section, strongest link first. */
export function relatedStories({
  story,
  stories,
  limit = 4,
}: {
  story: PublishedStory
  stories: PublishedStory[]
  limit?: number
}): PublishedStory[] {
  const people = new Set(story.people.map((p) => p.id))
  const tags = new Set(story.tags)
  const score = (other: PublishedStory) =>
    other.people.filter((p) => people.has(p.id)).length * 4 +
    other.tags.filter((t) => tags.has(t)).length * 2 +
    (other.section && other.section.id === story.section?.id ? 1 : 0)
  return newestFirst(stories)
    .filter((other) => other.id !== story.id)
    .map((other) => ({ other, points: score(other) }))
    .filter(({ points }) => points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, limit)
    .map(({ other }) => other)
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the script. */
export const jsonLd = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')
