import type { StorySummary } from './storySummary.ts'

/** A former address of a story, answered with a permanent redirect to where the story is now. */
export interface Redirect {
  /** Root-relative, as the story had it. */
  from: string
  /** The story's address now. */
  to: string
  /** The story's title, for the redirect page. */
  title: string
}

/**
 * The redirects the site answers: each former address of a public story to its current
 * one. An address a public story has now is that story's (no redirect); one that two stories
 * left belongs to the one that left it last. Sorted by address, so the same stories give the
 * same files.
 */
export function planRedirects({ stories }: { stories: StorySummary[] }): Redirect[] {
  const current = new Set(stories.map((story) => story.path))
  const owners = new Map<string, { story: StorySummary; leftAt: string }>()
  for (const story of stories) {
    for (const { path, leftAt } of story.formerPaths) {
      if (current.has(path)) continue
      const owner = owners.get(path)
      if (!owner || owner.leftAt < leftAt) owners.set(path, { story, leftAt })
    }
  }
  return [...owners]
    .map(([from, { story }]) => ({ from, to: story.path, title: story.title }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
}
