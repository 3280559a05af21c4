import { createHash } from 'node:crypto'
import type { PlatedPerson, PlatedSection, PublishedStory } from '../../../cms/channels/types.ts'

/**
 * What the site keeps of every published story between builds: all a list, a card or a
 * related-stories box shows, without the body. `digest` is a hash of the whole plated story
 * (body included), so a page that shows a story changes its render key when the story does.
 */
export type StorySummary = Omit<PublishedStory, 'bodyHtml' | 'bodyText' | 'images'> & {
  digest: string
  /** Ids of the media the full story shows (hero, body images, portraits). */
  mediaIds: number[]
  /** Their files (every rendition) the site serves. */
  mediaFiles: string[]
  /** The kitchen's `updatedAt` for the story: it moves on every save. */
  stamp: string
}

export function summarize({
  story,
  stamp,
  json = JSON.stringify(story),
}: {
  story: PublishedStory
  stamp: string
  /** The story as JSON, when the caller has it already. */
  json?: string
}): StorySummary {
  const { bodyHtml: _bodyHtml, bodyText: _bodyText, images, ...rest } = story
  const shown = [
    ...(story.hero ? [story.hero] : []),
    ...images,
    ...story.people.flatMap((person) => (person.portrait ? [person.portrait] : [])),
  ]
  return {
    ...rest,
    digest: createHash('sha256').update(json).digest('base64url'),
    mediaIds: [...new Set(shown.map((image) => image.id))],
    mediaFiles: [...new Set(shown.flatMap((image) => image.renditions.map((r) => r.filename)))],
    stamp,
  }
}

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
    | { kind: 'search' }
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
