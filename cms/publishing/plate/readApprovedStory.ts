import type { Payload, PayloadRequest } from 'payload'
import type { Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * Stages a story may go to the print, WeChat and TV desks from: approved (审定), scheduled, or
 * live. Drafts, stories waiting for review and withdrawn stories never leave the kitchen.
 */
export const outletStages = ['approved', 'scheduled', 'published', 'corrected'] as const

export const isOutletStage = (stage: unknown): boolean =>
  outletStages.includes(stage as (typeof outletStages)[number])

/**
 * A story as the desks take it: a published story as published (not a later unpublished
 * draft), an approved one at its latest version; null when it does not exist.
 */
export async function readApprovedStory({
  payload,
  id,
  req,
}: {
  payload: Payload
  id: number
  req?: PayloadRequest
}): Promise<Story | null> {
  const published = await payload.findByID({
    collection: collectionSlugs.stories,
    id,
    depth: 2,
    draft: false,
    overrideAccess: true,
    disableErrors: true,
    req,
  })
  if (published && published._status === 'published') return published
  return payload.findByID({
    collection: collectionSlugs.stories,
    id,
    depth: 2,
    draft: true,
    overrideAccess: true,
    disableErrors: true,
    req,
  })
}
