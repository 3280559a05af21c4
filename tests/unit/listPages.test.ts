import { describe, expect, it } from 'vitest'
import {
  LIST_PAGE_SIZE,
  layoutOf,
  type PageData,
  planListPages,
  type StorySummary,
} from '../../site/planner/index.ts'

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
  it('shows every story of a section exactly once, the newest on the first page, the oldest on page 1', () => {
    for (const count of [1, LIST_PAGE_SIZE, LIST_PAGE_SIZE + 1, 2 * LIST_PAGE_SIZE, 3 * LIST_PAGE_SIZE + 7]) {
      const pages = sectionPages(plan(count))
      expect(pages[0]?.path).toBe('/sections/model-workers/')
      const first = shown(pages[0]?.data as PageData)
      expect(first[0]).toBe(count)
      expect(first.length).toBeLessThan(2 * LIST_PAGE_SIZE)
      const all = pages.flatMap((page) => shown(page.data))
      expect(all.length).toBe(count)
      expect(new Set(all).size).toBe(count)
      for (const page of pages) {
        const { paging } = page.data as Extract<PageData, { kind: 'section' }>
        for (const link of [paging.newer, paging.older])
          if (link) expect(pages.some((p) => p.path === link)).toBe(true)
      }
    }
    const oldest = sectionPages(plan(3 * LIST_PAGE_SIZE + 7)).find(
      (page) => page.path === '/sections/model-workers/1/',
    )
    expect(shown(oldest?.data as PageData).sort((a, b) => a - b)).toEqual(
      Array.from({ length: LIST_PAGE_SIZE }, (_, at) => at + 1),
    )
  })

  it('changes the first page and at most two others when a story is published, however long the archive', () => {
    for (const count of [5 * LIST_PAGE_SIZE + 3, 5 * LIST_PAGE_SIZE, 6 * LIST_PAGE_SIZE - 1]) {
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
