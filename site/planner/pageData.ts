import type { PlatedPerson, PlatedSection, PublishedStory } from '../../cms/channels/types.ts'
import type { StorySummary } from './storySummary.ts'

/** What every page's layout shows: the navigation. */
export interface LayoutData {
  sections: PlatedSection[]
}

/**
 * A list's pages: the first shows the newest stories (LIST_PAGE_SIZE to twice that); the
 * others are numbered from the oldest, LIST_PAGE_SIZE stories each, so a numbered page never
 * changes again (a publish changes the first page, and every so often makes one more
 * numbered page).
 */
export interface Paging {
  /** Null on the first page; else the page's number, counted from the oldest. */
  number: number | null
  /** The page of newer stories, the page of older ones. */
  newer: string | undefined
  older: string | undefined
}

/** The data each page is rendered from, passed to Astro as `locals.page`. */
export type PageData = LayoutData &
  (
    | {
        kind: 'home'
        lead: StorySummary | undefined
        latest: StorySummary[]
        bySection: { section: PlatedSection; stories: StorySummary[] }[]
      }
    | { kind: 'story'; story: PublishedStory; related: StorySummary[] }
    | { kind: 'section'; section: PlatedSection; stories: StorySummary[]; paging: Paging; path: string }
    | {
        kind: 'tag'
        tag: string
        total: number | null
        stories: StorySummary[]
        paging: Paging
        path: string
      }
    | { kind: 'person'; person: PlatedPerson; stories: StorySummary[]; paging: Paging; path: string }
    | { kind: 'people'; people: PlatedPerson[] }
    | { kind: 'archive'; months: { key: string; count: number }[] }
    | {
        kind: 'month'
        month: string
        total: number | null
        stories: StorySummary[]
        paging: Paging
        path: string
      }
    | { kind: 'about' }
    | {
        kind: 'search'
        /** Where the search page asks (`GET <searchApi>?q=`): the kitchen's search endpoint. */
        searchApi: string
      }
    | { kind: 'not-found' }
  )

export type PageKind = PageData['kind']
export type PageOf<K extends PageKind> = Extract<PageData, { kind: K }>

/** The page data Astro was handed for this page, checked to be of the kind the page renders. */
export function pageData<K extends PageKind>(locals: { page?: unknown }, kind: K): PageOf<K> {
  const page = locals.page as PageData | undefined
  if (!page || page.kind !== kind)
    throw new Error(`this page renders "${kind}" data, and was given ${page ? `"${page.kind}"` : 'none'}`)
  return page as PageOf<K>
}
