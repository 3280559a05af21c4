import type { PublishedStory } from '../../cms/channels/types.ts'

/** What ordering, grouping and relatedness read of a story (a full story or its summary). */
export type Listed = Pick<PublishedStory, 'id' | 'publishedAt' | 'people' | 'tags' | 'section'>

/** Newest first; ties by id so every build orders alike. */
export const byNewest = (a: Listed, b: Listed) => b.publishedAt.localeCompare(a.publishedAt) || b.id - a.id

/** How many of the newest earlier stories of each shared person, tag and the section are weighed. */
export const RELATED_CANDIDATES_PER_LINK = 24

/** Oldest first; ties by id: the order a build reads and relates stories in. */
export const byOldest = (a: Listed, b: Listed) => -byNewest(a, b)

/**
 * Relates stories as they come, oldest first: `next(story)` answers the related stories of
 * `story` among those given before it, then remembers it. Up to `limit` earlier stories
 * sharing people (4 points each), tags (2 each) or the section (1), strongest link first and
 * newest first among equals: the coverage that led up to this story. Only earlier stories,
 * so publishing a new story never changes an older story's page, and a build can render each
 * story page as soon as its story is read; only the newest RELATED_CANDIDATES_PER_LINK
 * earlier stories of each link are weighed, so a page costs the same at 100 stories or
 * 100,000.
 */
export function relatedTracker<T extends Listed>({ limit = 4 }: { limit?: number } = {}) {
  const byPerson = new Map<number, T[]>()
  const byTag = new Map<string, T[]>()
  const bySection = new Map<number, T[]>()
  /** Order of arrival: a later story is newer. */
  const arrival = new Map<number, number>()
  // Plain loops and no closures: this runs for every story on every build.
  return {
    /** The related stories of `story` among those added before it. */
    related(story: T): T[] {
      const candidates = new Set<T>()
      for (const person of story.people) addNewest(candidates, byPerson.get(person.id))
      const tags = new Set(story.tags)
      for (const tag of tags) addNewest(candidates, byTag.get(tag))
      if (story.section) addNewest(candidates, bySection.get(story.section.id))
      const people = new Set<number>()
      for (const person of story.people) people.add(person.id)
      const sectionId = story.section?.id
      const scored: Scored<T>[] = []
      for (const other of candidates) {
        let points = 0
        for (const person of other.people) if (people.has(person.id)) points += 4
        for (const tag of other.tags) if (tags.has(tag)) points += 2
        if (other.section && other.section.id === sectionId) points += 1
        scored.push({ other, points, order: arrival.get(other.id) ?? 0 })
      }
      scored.sort(strongestThenNewest)
      const related: T[] = []
      for (const { other } of scored) {
        if (related.length >= limit) break
        related.push(other)
      }
      return related
    },
    /** Remembers `story` as the newest so far. */
    add(story: T): void {
      arrival.set(story.id, arrival.size)
      for (const person of story.people) push(byPerson, person.id, story)
      for (const tag of new Set(story.tags)) push(byTag, tag, story)
      if (story.section) push(bySection, story.section.id, story)
    },
    /** `related(story)`, then `add(story)`. */
    next(story: T): T[] {
      const related = this.related(story)
      this.add(story)
      return related
    },
  }
}

type Scored<T> = { other: T; points: number; order: number }

function strongestThenNewest<T>(a: Scored<T>, b: Scored<T>): number {
  return b.points - a.points || b.order - a.order
}

function addNewest<T>(into: Set<T>, list: T[] | undefined) {
  if (!list) return
  for (let at = Math.max(0, list.length - RELATED_CANDIDATES_PER_LINK); at < list.length; at += 1)
    into.add(list[at] as T)
}

function push<K, T>(map: Map<K, T[]>, key: K, story: T) {
  const list = map.get(key)
  if (list) list.push(story)
  else map.set(key, [story])
}

/** The related stories of `story` among `stories` (see relatedTracker). */
export function relatedStories<T extends Listed>({
  story,
  stories,
  limit = 4,
}: {
  story: Listed
  stories: T[]
  limit?: number
}): T[] {
  const tracker = relatedTracker<Listed>({ limit })
  for (const other of [...stories].sort(byOldest)) {
    if (byOldest(other, story) >= 0) break
    tracker.next(other)
  }
  return tracker.next(story) as T[]
}
