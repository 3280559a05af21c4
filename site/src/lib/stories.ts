import { getCollection } from 'astro:content'
import type { PublishedStory } from '../../../cms/channels/types.ts'
import { newestFirst } from './site.ts'

let loaded: Promise<PublishedStory[]> | undefined

/**
 * Every published story the loader brought in, newest first. Read once per build: every
 * page's layout asks for it, and re-reading the collection on each of thousands of pages
 * made builds grow with pages × stories. (`astro dev` reads it afresh each time.)
 */
export function publishedStories(): Promise<PublishedStory[]> {
  if (import.meta.env.DEV) return readStories()
  loaded ??= readStories()
  return loaded
}

async function readStories(): Promise<PublishedStory[]> {
  const entries = await getCollection('stories')
  return newestFirst(entries.map((entry) => entry.data as PublishedStory))
}
