import type { Payload, Where } from 'payload'
import { PUBLIC_PLATE_CONTEXT } from '../../access/roles.ts'
import { publicStoryFilter } from '../../access/stories.ts'
import { houseRights } from '../../channels/house.ts'
import type { PublishedStory } from '../../channels/types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { plateStory, storyPath } from './plateStory.ts'

export const DEFAULT_PLATE_PAGE_SIZE = 100
export const MAX_PLATE_PAGE_SIZE = 500

export interface PlatePage {
  docs: PublishedStory[]
  page: number
  totalPages: number
  totalDocs: number
  hasNextPage: boolean
}

/**
 * One page of published stories, read as an anonymous reader would read them (access
 * enforced: published, live and past embargo; staff-only fields left out), then plated.
 * Newest first; ties broken by id so pages never overlap.
 */
export async function readPublishedPage({
  payload,
  page = 1,
  limit = DEFAULT_PLATE_PAGE_SIZE,
  where,
}: {
  payload: Payload
  page?: number
  limit?: number
  /** Narrows the public's stories further (e.g. one section); access still applies. */
  where?: Where
}): Promise<PlatePage> {
  const result = await payload.find({
    collection: collectionSlugs.stories,
    overrideAccess: false,
    user: null,
    context: { [PUBLIC_PLATE_CONTEXT]: true },
    draft: false,
    depth: 2,
    page,
    limit: Math.min(Math.max(1, limit), MAX_PLATE_PAGE_SIZE),
    sort: ['-publishedAt', '-id'],
    ...(where ? { where } : {}),
  })
  return {
    docs: result.docs.map((doc) => plateStory({ doc, rights: houseRights })),
    page: result.page ?? page,
    totalPages: result.totalPages,
    totalDocs: result.totalDocs,
    hasNextPage: result.hasNextPage,
  }
}

/** Every published story, page by page. */
export async function* readAllPublished({
  payload,
  limit = DEFAULT_PLATE_PAGE_SIZE,
}: {
  payload: Payload
  limit?: number
}): AsyncGenerator<PublishedStory> {
  for (let page = 1; ; page += 1) {
    const result = await readPublishedPage({ payload, page, limit })
    yield* result.docs
    if (!result.hasNextPage) return
  }
}

/** A published story as the site build first sees it: enough to tell whether it changed. */
export interface PublishedStamp {
  id: number
  /** The kitchen's `updatedAt`: it moves on every save. */
  stamp: string
  /** As the plate gives it (`publishedAt`, else `createdAt`): the site's order. */
  publishedAt: string
  /** The section's id, if any. */
  section: number | null
  /** Its address on the site now (`/stories/<slug>/`): what links to it point at. */
  path: string
}

/**
 * Every story the public may read now, without reading their content, oldest first (the
 * order of byOldest): the same filter the collection's read access gives an anonymous reader
 * (`publicStoryFilter`), asked of the database adapter directly (no field hooks to run for
 * 10,000 rows of a few columns).
 */
export async function listPublishedStamps({ payload }: { payload: Payload }): Promise<PublishedStamp[]> {
  const result = await payload.db.find<{
    id: number
    updatedAt: string
    publishedAt?: string | null
    createdAt: string
    section?: number | { id: number } | null
    slug?: string | null
  }>({
    collection: collectionSlugs.stories,
    where: publicStoryFilter(),
    select: { updatedAt: true, publishedAt: true, createdAt: true, section: true, slug: true },
    pagination: false,
    limit: 0,
    sort: 'publishedAt',
  })
  return result.docs
    .map((doc) => ({
      id: doc.id,
      stamp: String(doc.updatedAt),
      publishedAt: String(doc.publishedAt ?? doc.createdAt),
      section: typeof doc.section === 'object' ? (doc.section?.id ?? null) : (doc.section ?? null),
      path: storyPath(doc.slug ?? String(doc.id)),
    }))
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id - b.id)
}
