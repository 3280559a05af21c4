import type { Payload } from 'payload'
import type { Story, User } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import {
  authorIdsOf,
  maySignLevel,
  nextLevel,
  type ReviewLevel,
  refuseSignature,
  reviewLevelsOf,
  type Signature,
} from '../../workflow/reviewLevels.ts'
import { type Role, roles } from '../../workflow/roles.ts'

/** A story waiting for the user's signature: which level (初审, 复审, 终审) it waits at. */
export type ReviewRow = {
  id: number
  title: string
  level: ReviewLevel
  levels: ReviewLevel
  updatedAt: string
}

/** Enough in-review stories for a desk's morning; the list links to the full story list beyond. */
const REVIEW_QUEUE_LIMIT = 200

/**
 * 待我审: the in-review stories whose next level the user may sign (see refuseSignature: their
 * role's level, not signed by them already, not written by them), oldest first. Read as the user.
 */
export async function waitingForMyReview({
  payload,
  user,
}: {
  payload: Payload
  user: User
}): Promise<ReviewRow[]> {
  const role = roles.find((known) => known === user.role)
  if (!([1, 2, 3] as const).some((level) => maySignLevel({ role, level }))) return []
  // Page through the stories in review (oldest first) until the list is full: which of them
  // wait for this user is known only from their signatures and their section's levels.
  const rows: ReviewRow[] = []
  for (let page = 1; rows.length < REVIEW_QUEUE_LIMIT; page += 1) {
    const { docs, hasNextPage } = await payload.find({
      collection: collectionSlugs.stories,
      where: { stage: { equals: 'in_review' } },
      sort: 'updatedAt',
      limit: REVIEW_QUEUE_LIMIT,
      page,
      draft: true,
      depth: 0,
      user,
      overrideAccess: false,
      select: {
        title: true,
        section: true,
        signatures: true,
        createdBy: true,
        byline: true,
        updatedAt: true,
      },
    })
    const levelsBySection = await sectionLevels({
      payload,
      ids: docs.flatMap((story) => sectionIdOf(story) ?? []),
    })
    for (const story of docs) {
      const id = sectionIdOf(story)
      const levels = (id === undefined ? undefined : levelsBySection.get(id)) ?? reviewLevelsOf(undefined)
      const level = levelWaitingFor({
        signatures: story.signatures as Signature[],
        levels,
        role,
        userId: user.id,
        authorIds: authorIdsOf(story),
      })
      if (level && rows.length < REVIEW_QUEUE_LIMIT)
        rows.push({ id: story.id, title: story.title, level, levels, updatedAt: story.updatedAt })
    }
    if (!hasNextPage) break
  }
  return rows
}

/** The level a story waits at when the user may sign it; undefined when it does not wait for them. */
export function levelWaitingFor({
  signatures,
  levels,
  role,
  userId,
  authorIds,
}: {
  signatures: readonly Signature[] | null | undefined
  levels: ReviewLevel
  role: Role | undefined
  userId: number
  authorIds: readonly string[]
}): ReviewLevel | undefined {
  const level = nextLevel({ signatures, levels })
  return level && refuseSignature({ signatures, levels, role, userId, authorIds }) === undefined
    ? level
    : undefined
}

/** The story's section id; a draft submitted without one has none (the default levels apply). */
function sectionIdOf(story: Pick<Story, 'section'>): number | undefined {
  const section = story.section as Story['section'] | null | undefined
  if (section === null || section === undefined) return undefined
  return typeof section === 'object' ? section.id : section
}

async function sectionLevels({
  payload,
  ids,
}: {
  payload: Payload
  ids: number[]
}): Promise<Map<number, ReviewLevel>> {
  if (ids.length === 0) return new Map()
  const { docs } = await payload.find({
    collection: collectionSlugs.sections,
    where: { id: { in: [...new Set(ids)] } },
    pagination: false,
    depth: 0,
    select: { reviewLevels: true },
  })
  return new Map(docs.map((section) => [section.id, reviewLevelsOf(section)]))
}
