import { createHash } from 'node:crypto'
import type { PlatedSection, PublishedStory } from '../../../cms/channels/types.ts'
import type { LayoutData, PageData, Paging, StorySummary } from './pages.ts'
import {
  monthKey,
  monthPath,
  peopleOf,
  personPath,
  SECTION_PAGE_SIZE,
  sectionPath,
  tagPath,
  tagsOf,
} from './site.ts'

/**
 * The site's pages, planned from the summaries of every published story: each page's path,
 * the data it renders and a key (a digest of that data). A build renders a page only when its
 * key differs from the one it had in the last build. Story pages are planned one by one as
 * the build reads their stories, oldest first (a story page shows only earlier stories
 * beside its own); list pages once every story is known.
 */
export interface PlannedStoryPage {
  path: string
  key: string
  story: StorySummary
  related: StorySummary[]
}

export interface PlannedPage {
  path: string
  key: string
  data: PageData
}

/** Stories listed on one page of a section, tag, person or month. */
export const LIST_PAGE_SIZE = SECTION_PAGE_SIZE

/** What every page shows around its own content: the sections that have public stories. */
export function layoutOf({
  sections,
  planId = '',
}: {
  sections: PlatedSection[]
  /** A digest of the planning code: in every key, so that new code trusts no old key. */
  planId?: string
}): { layout: LayoutData; layoutKey: string } {
  const layout: LayoutData = { sections: [...sections].sort((a, b) => a.order - b.order || a.id - b.id) }
  return { layout, layoutKey: renderKey(planId, layout) }
}

/** A story page, its related stories given (relatedTracker). */
export function planStoryPage({
  story,
  related,
  layoutKey,
}: {
  story: StorySummary
  related: StorySummary[]
  layoutKey: string
}): PlannedStoryPage {
  // A digest of what the page shows, hashed directly: this runs for every story on every build.
  const key = createHash('sha256')
    .update(`${layoutKey}\0${story.digest}\0${related.map((other) => other.digest).join('\0')}`)
    .digest('base64url')
  return { path: story.path, story, related, key }
}

/** A story page's data, once its full story has been read. */
export function storyPageData({
  page,
  story,
  layout,
}: {
  page: PlannedStoryPage
  story: PublishedStory
  layout: LayoutData
}): PageData {
  return { ...layout, kind: 'story', story, related: page.related }
}

/** A story page's data as JSON, the story's own JSON spliced in as it is. */
export function storyPageJson({
  page,
  storyJson,
  layout,
}: {
  page: PlannedStoryPage
  storyJson: string
  layout: LayoutData
}): string {
  const rest = JSON.stringify({ ...layout, kind: 'story', related: page.related })
  return `${rest.slice(0, -1)},"story":${storyJson}}`
}

/** Every page but the stories' own: home, lists, archive, about, search, 404. `stories` newest first. */
export function planListPages({
  stories,
  layout,
  layoutKey,
}: {
  stories: StorySummary[]
  layout: LayoutData
  layoutKey: string
}): PlannedPage[] {
  return listPages({ stories, layout }).map((data) => ({
    path: pathOf(data),
    key: renderKey(layoutKey, data),
    data,
  }))
}

function listPages({ stories, layout }: { stories: StorySummary[]; layout: LayoutData }): PageData[] {
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
  pages.push({ ...layout, kind: 'about' }, { ...layout, kind: 'search' }, { ...layout, kind: 'not-found' })
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

/** The root-relative URL path of a page. */
export function pathOf(data: PageData): string {
  switch (data.kind) {
    case 'home':
      return '/'
    case 'story':
      return data.story.path
    case 'section':
    case 'tag':
    case 'person':
    case 'month':
      return data.path
    case 'people':
      return '/people/'
    case 'archive':
      return '/archive/'
    case 'about':
      return '/about/'
    case 'search':
      return '/search/'
    case 'not-found':
      return '/404/'
  }
}

/** Where a page's HTML is written in the build: `stories/<slug>/index.html`, `404.html`. */
export function fileOf(path: string): string {
  if (path === '/404/') return '404.html'
  return `${decodeURIComponent(path).replace(/^\//, '')}index.html`
}

/**
 * A digest of everything a page renders. A story summary counts by its digest, which covers
 * the whole story: a list page's key changes when any story it shows does.
 */
export function renderKey(...rendered: unknown[]): string {
  return createHash('sha256')
    .update(
      JSON.stringify(rendered, (_key, value) =>
        value && typeof value === 'object' && typeof (value as StorySummary).digest === 'string'
          ? (value as StorySummary).digest
          : value,
      ),
    )
    .digest('base64url')
}
