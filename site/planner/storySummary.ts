import { createHash } from 'node:crypto'
import type { PublishedStory } from '../../cms/channels/types.ts'

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
  /**
   * The stories its body links to, each with the address the plate linked it to (null: not
   * public then, so the words are plain text). The story is plated again once one differs
   * from the linked story's address now: withdrawn, renamed or published since.
   */
  links: StoryLink[]
  /** The addresses the story had before (the site redirects each to its path). */
  formerPaths: FormerPath[]
}

export type StoryLink = { id: number; path: string | null }

/** An address the story left, and when (of two stories that left one, the later has it). */
export type FormerPath = { path: string; leftAt: string }

export function summarize({
  story,
  stamp,
  json = JSON.stringify(story),
  links = [],
  formerPaths = [],
}: {
  story: PublishedStory
  stamp: string
  /** The story as JSON, when the caller has it already. */
  json?: string
  links?: StoryLink[]
  formerPaths?: FormerPath[]
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
    links,
    formerPaths,
  }
}
