import { createHash } from 'node:crypto'
import type { PlatedSection, PublishedStory } from '../../cms/channels/types.ts'
import { listPages } from './listPages.ts'
import type { LayoutData, PageData } from './pageData.ts'
import { pathOf } from './sitePaths.ts'
import type { StorySummary } from './storySummary.ts'

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
  searchApi,
}: {
  stories: StorySummary[]
  layout: LayoutData
  layoutKey: string
  /** The search endpoint the search page asks; on the site's own origin unless given. */
  searchApi?: string
}): PlannedPage[] {
  return listPages({ stories, layout, searchApi }).map((data) => ({
    path: pathOf(data),
    key: renderKey(layoutKey, data),
    data,
  }))
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
