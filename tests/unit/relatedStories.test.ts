import { describe, expect, it } from 'vitest'
import type { PublishedStory } from '../../cms/channels/types.ts'
import { relatedStories } from '../../site/planner/index.ts'

/** A story with only what relatedness reads; the rest is never looked at. */
function story({
  id,
  day,
  people = [],
  tags = [],
  section = 1,
}: {
  id: number
  day: number
  people?: number[]
  tags?: string[]
  section?: number
}): PublishedStory {
  return {
    id,
    title: `稿件${id}`,
    publishedAt: new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString(),
    people: people.map((person) => ({ id: person })),
    tags,
    section: { id: section },
  } as unknown as PublishedStory
}

/** Published before `target` (ties broken by id, as the site orders stories). */
const isEarlier = (other: PublishedStory, target: PublishedStory) =>
  other.publishedAt < target.publishedAt || (other.publishedAt === target.publishedAt && other.id < target.id)

/** The definition, weighing every earlier story: what the index must agree with while links are small. */
function everyStoryWeighed(target: PublishedStory, stories: PublishedStory[], limit = 4): number[] {
  const people = new Set(target.people.map((p) => p.id))
  const tags = new Set(target.tags)
  return stories
    .filter((other) => other.id !== target.id && isEarlier(other, target))
    .map((other) => ({
      other,
      points:
        other.people.filter((p) => people.has(p.id)).length * 4 +
        other.tags.filter((t) => tags.has(t)).length * 2 +
        (other.section?.id === target.section?.id ? 1 : 0),
    }))
    .filter(({ points }) => points > 0)
    .sort(
      (a, b) =>
        b.points - a.points ||
        b.other.publishedAt.localeCompare(a.other.publishedAt) ||
        b.other.id - a.other.id,
    )
    .slice(0, limit)
    .map(({ other }) => other.id)
}

describe('related stories', () => {
  it('puts a shared person before shared tags before the same section, newest first among equals', () => {
    const target = story({ id: 1, day: 10, people: [7], tags: ['焊工'], section: 1 })
    const stories = [
      target,
      story({ id: 2, day: 1, section: 1 }),
      story({ id: 3, day: 2, tags: ['焊工'], section: 2 }),
      story({ id: 4, day: 3, people: [7], section: 3 }),
      story({ id: 5, day: 4, tags: ['焊工'], section: 2 }),
      story({ id: 6, day: 5, section: 9 }),
    ]
    expect(relatedStories({ story: target, stories }).map((s) => s.id)).toEqual([4, 5, 3, 2])
  })

  it('agrees with weighing every story on a random newsroom whose links are small', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    const stories = Array.from({ length: 60 }, (_, i) =>
      story({
        id: i + 1,
        day: Math.floor(random() * 400),
        people: random() < 0.3 ? [1 + Math.floor(random() * 8)] : [],
        tags: random() < 0.5 ? [`标签${Math.floor(random() * 10)}`] : [],
        section: 1 + Math.floor(random() * 6),
      }),
    )
    for (const target of stories)
      expect(relatedStories({ story: target, stories }).map((s) => s.id)).toEqual(
        everyStoryWeighed(target, stories),
      )
  })

  it('lists only earlier stories, so a new story never changes an older page', () => {
    const older = story({ id: 1, day: 1, people: [5], tags: ['焊工'] })
    const target = story({ id: 2, day: 2, people: [5], tags: ['焊工'] })
    const newer = story({ id: 3, day: 3, people: [5], tags: ['焊工'] })
    const stories = [older, target, newer]
    expect(relatedStories({ story: target, stories }).map((s) => s.id)).toEqual([1])
    expect(relatedStories({ story: older, stories })).toEqual([])
    expect(relatedStories({ story: newer, stories }).map((s) => s.id)).toEqual([2, 1])
  })

  it('finds a story linked by a person among thousands of newer ones linked by a tag', () => {
    // 5,000 stories in one section with one tag: the newest share the tag, an old one the person.
    const target = story({ id: 1, day: 9_000, people: [3], tags: ['劳模'] })
    const stories = [
      target,
      ...Array.from({ length: 5_000 }, (_, i) => story({ id: i + 2, day: i, tags: ['劳模'] })),
    ]
    stories.push(story({ id: 9_999, day: -1, people: [3] }))
    const related = relatedStories({ story: target, stories }).map((s) => s.id)
    // The person's story is found though thousands are newer; then the newest tag-mates.
    expect(related).toEqual([9_999, 5_001, 5_000, 4_999])
  })
})
