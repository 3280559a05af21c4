import { getCollection } from 'astro:content'
import type { PublishedStory } from '../../../cms/channels/types.ts'
import { newestFirst } from './site.ts'

/** Every published story the loader brought in, newest first. */
export async function publishedStories(): Promise<PublishedStory[]> {
  const entries = await getCollection('stories')
  return newestFirst(entries.map((entry) => entry.data as PublishedStory))
}
