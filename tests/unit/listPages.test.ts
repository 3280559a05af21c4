import { describe, expect, it } from 'vitest'
import type { PageData, StorySummary } from '../../site/src/lib/pages.ts'
import { LIST_PAGE_SIZE, layoutOf, planListPages } from '../../site/src/lib/plan.ts'

const section = { id: 1, name: '劳模风采', slug: 'model-workers', description: null, order: 1 }

/** A story summary with what lists read; one a day, newest last. */
function story(id: number): StorySummary {
  return {
    id,
    title: `稿件${id}`,
    path: `/stories/s${id}/`,
    publishedAt: new Date(Date.UTC(2026, 0, 1) + id * 3_600_000).toISOString(),
    section,
    tags: ['焊工'],
    people: [],
    hero: null,
    digest: `digest-${id}`,
  } as unknown as StorySummary
}

const { layout, layoutKey } = layoutOf({ sections: [section] })
const plan = (count: number) => {
  const stories = Array.from({ length: count }, (_, at) => story(count - at))
  return new Map(planListPages({ stories, layout, layoutKey }).map((page) => [page.path, page]))
}
const sectionPages = (pages: ReturnType<typeof plan>) =>
  [...pages.values()].filter((page) => page.data.kind === 'section')
const shown = (data: PageData) => ('stories' in data ? data.stories.map((s) => s.id) : [])

describe('list pages', () => {
  it('shows every story of a section once the numbered pages are read, newest first on the first page', () => {
    const pages = sectionPages(plan(3 * LIST_PAGE_SIZE + 7))
    expect(pages[0]?.path).toBe('/sections/model-workers/')
    expect(shown(pages[0]?.data as PageData)).toEqual(
      Array.from({ length: LIST_PAGE_SIZE }, (_, at) => 3 * LIST_PAGE_SIZE + 7 - at),
    )
    const all = new Set(pages.flatMap((page) => shown(page.data)))
    expect(all.size).toBe(3 * LIST_PAGE_SIZE + 7)
    // Page 1 holds the oldest stories; each page links to the next newer and older page.
    const first = pages.find((page) => page.path === '/sections/model-workers/1/')
    expect(shown(first?.data as PageData).sort((a, b) => a - b)).toEqual(
      Array.from({ length: LIST_PAGE_SIZE }, (_, at) => at + 1),
    )
    for (const page of pages) {
      const { paging } = page.data as Extract<PageData, { kind: 'section' }>
      for (const link of [paging.newer, paging.older])
        if (link) expect(pages.some((p) => p.path === link)).toBe(true)
    }
  })

  it('changes the first page and at most two others when a story is published, however long the archive', () => {
    for (const count of [5 * LIST_PAGE_SIZE + 3, 5 * LIST_PAGE_SIZE]) {
      const before = plan(count)
      const after = plan(count + 1)
      const changed = [...after.values()]
        .filter((page) => page.data.kind === 'section')
        .filter((page) => before.get(page.path)?.key !== page.key)
        .map((page) => page.path)
      expect(changed).toContain('/sections/model-workers/')
      expect(changed.length).toBeLessThanOrEqual(3)
    }
  })
})
