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
