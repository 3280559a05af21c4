import type { PlatedPerson } from '../../cms/channels/types.ts'
import { monthKey } from './months.ts'
import type { LayoutData, PageData, Paging } from './pageData.ts'
import type { Listed } from './relatedStories.ts'
import { monthPath, personPath, sectionPath, tagPath } from './sitePaths.ts'
import type { StorySummary } from './storySummary.ts'

/** Stories listed on one page of a section, tag, person or month. */
export const LIST_PAGE_SIZE = 20

/** Every page but the stories' own: home, lists, archive, about, search, 404. `stories` newest first. */
/** The kitchen's search endpoint as the site reaches it by default: on its own origin (siteServer forwards it). */
export const DEFAULT_SEARCH_API = '/api/search'

export function listPages({
  stories,
  layout,
  searchApi = DEFAULT_SEARCH_API,
}: {
  stories: StorySummary[]
  layout: LayoutData
  searchApi?: string
}): PageData[] {
  const pages: PageData[] = []
  const lead = stories.find((story) => story.hero) ?? stories[0]
  pages.push({
    ...layout,
    kind: 'home',
    lead,
    latest: stories.filter((story) => story !== lead).slice(0, 8),
    bySection: layout.sections.map((section) => ({
      section,
      stories: firstOf(stories, (story) => story.section?.id === section.id, 4),
    })),
  })
  const groups = {
    section: new Map<number, StorySummary[]>(),
    tag: new Map<string, StorySummary[]>(),
    person: new Map<number, StorySummary[]>(),
    month: new Map<string, StorySummary[]>(),
  }
  const add = <K>(map: Map<K, StorySummary[]>, key: K, story: StorySummary) => {
    const list = map.get(key)
    if (list) list.push(story)
    else map.set(key, [story])
  }
  for (const story of stories) {
    if (story.section) add(groups.section, story.section.id, story)
    for (const tag of new Set(story.tags)) add(groups.tag, tag, story)
    for (const person of story.people) add(groups.person, person.id, story)
    add(groups.month, monthKey(story.publishedAt), story)
  }
  for (const section of layout.sections) {
    const base = sectionPath(section)
    for (const { paging, items, path } of paginate({ items: groups.section.get(section.id) ?? [], base }))
      pages.push({ ...layout, kind: 'section', section, stories: items, paging, path })
  }
  for (const tag of tagsOf(stories)) {
    const all = groups.tag.get(tag) ?? []
    for (const { paging, items, path, isFirst } of paginate({ items: all, base: tagPath(tag) }))
      pages.push({
        ...layout,
        kind: 'tag',
        tag,
        total: isFirst ? all.length : null,
        stories: items,
        paging,
        path,
      })
  }
  const people = peopleOf(stories)
  pages.push({ ...layout, kind: 'people', people })
  for (const person of people) {
    for (const { paging, items, path } of paginate({
      items: groups.person.get(person.id) ?? [],
      base: personPath(person),
    }))
      pages.push({ ...layout, kind: 'person', person, stories: items, paging, path })
  }
  const months = [...groups.month.entries()].sort(([a], [b]) => b.localeCompare(a))
  pages.push({
    ...layout,
    kind: 'archive',
    months: months.map(([key, list]) => ({ key, count: list.length })),
  })
  for (const [month, list] of months) {
    for (const { paging, items, path, isFirst } of paginate({ items: list, base: monthPath(month) }))
      pages.push({
        ...layout,
        kind: 'month',
        month,
        total: isFirst ? list.length : null,
        stories: items,
        paging,
        path,
      })
  }
  pages.push(
    { ...layout, kind: 'about' },
    { ...layout, kind: 'search', searchApi },
    { ...layout, kind: 'not-found' },
  )
  return pages
}

function firstOf<T>(items: T[], keep: (item: T) => boolean, count: number): T[] {
  const found: T[] = []
  for (const item of items) {
    if (found.length >= count) break
    if (keep(item)) found.push(item)
  }
  return found
}

/**
 * A list's pages (see Paging): `/base/1/` holds the oldest LIST_PAGE_SIZE items, `/base/2/` the
 * next, and so on; `/base/` the rest, the newest (LIST_PAGE_SIZE to twice that, or all of a
 * shorter list). No item is on two pages. `items` newest first.
 */
function* paginate<T>({ items, base }: { items: T[]; base: string }) {
  const numbered = Math.max(0, Math.floor(items.length / LIST_PAGE_SIZE) - 1)
  const pathOf = (number: number) => (number > numbered ? base : `${base}${number}/`)
  yield {
    paging: { number: null, newer: undefined, older: numbered > 0 ? pathOf(numbered) : undefined } as Paging,
    path: base,
    items: items.slice(0, items.length - numbered * LIST_PAGE_SIZE),
    isFirst: true,
  }
  for (let number = numbered; number >= 1; number -= 1) {
    // Group `number` from the oldest: the items at these places, counted from the newest.
    const end = items.length - (number - 1) * LIST_PAGE_SIZE
    yield {
      paging: {
        number,
        newer: pathOf(number + 1),
        older: number > 1 ? pathOf(number - 1) : undefined,
      } as Paging,
      path: pathOf(number),
      items: items.slice(end - LIST_PAGE_SIZE, end),
      isFirst: false,
    }
  }
}

function peopleOf(stories: Listed[]): PlatedPerson[] {
  const byId = new Map<number, PlatedPerson>()
  for (const story of stories) for (const person of story.people) byId.set(person.id, person)
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN-u-co-pinyin'))
}

function tagsOf(stories: Listed[]): string[] {
  return [...new Set(stories.flatMap((story) => story.tags))].sort((a, b) =>
    a.localeCompare(b, 'zh-CN-u-co-pinyin'),
  )
}
