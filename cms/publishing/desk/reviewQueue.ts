import type { Payload } from 'payload'
import type { Story, User } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import {
  maySignLevel,
  nextLevel,
  type ReviewLevel,
  reviewLevelsOf,
  type Signature,
  signerId,
  standingSignatures,
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
 * 待我审: the in-review stories whose next level the user's role may sign and that the user has
 * not signed already (the same person never signs two levels), oldest first. Read as the user.
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
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { stage: { equals: 'in_review' } },
    sort: 'updatedAt',
    limit: REVIEW_QUEUE_LIMIT,
    draft: true,
    depth: 0,
    user,
    overrideAccess: false,
    select: { title: true, section: true, signatures: true, updatedAt: true },
  })
  const levelsBySection = await sectionLevels({ payload, ids: docs.map((story) => sectionId(story)) })
  return docs.flatMap((story) => {
    const levels = levelsBySection.get(sectionId(story)) ?? reviewLevelsOf(undefined)
    const level = levelWaitingFor({
      signatures: story.signatures as Signature[],
      levels,
      role,
      userId: user.id,
    })
    return level ? [{ id: story.id, title: story.title, level, levels, updatedAt: story.updatedAt }] : []
  })
}

/** The level a story waits at when the user may sign it; undefined when it does not wait for them. */
export function levelWaitingFor({
  signatures,
  levels,
  role,
  userId,
}: {
  signatures: readonly Signature[] | null | undefined
  levels: ReviewLevel
  role: Role | undefined
  userId: number
}): ReviewLevel | undefined {
  const level = nextLevel({ signatures, levels })
  if (!level || !maySignLevel({ role, level })) return undefined
  const hasSigned = standingSignatures(signatures).some((signature) => signerId(signature) === userId)
  return hasSigned ? undefined : level
}

function sectionId(story: Pick<Story, 'section'>): number {
  return typeof story.section === 'object' ? story.section.id : story.section
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
