import type { Access, Where } from 'payload'
import { liveStages } from '../workflow/stages.ts'
import { isDeskOrAdmin, roleOf } from './roles.ts'

/**
 * The public's view of stories, as a query so lists are filtered too: published, not
 * withdrawn, and past any embargo.
 */
export function publicStoryFilter({ now = new Date() }: { now?: Date } = {}): Where {
  return {
    and: [
      { _status: { equals: 'published' } },
      { stage: { in: [...liveStages] } },
      { or: [{ embargoUntil: { exists: false } }, { embargoUntil: { less_than_equal: now.toISOString() } }] },
    ],
  }
}

export const readStories: Access = ({ req }) => (req.user ? true : publicStoryFilter())

/** Editors and admins edit any story; reporters only their own, while it is a draft or in review. */
export const updateStories: Access = ({ req }) => {
  if (isDeskOrAdmin({ req })) return true
  if (roleOf(req) !== 'reporter' || !req.user) return false
  const own: Where = { createdBy: { equals: req.user.id } }
  const unpublished: Where = { stage: { in: ['draft', 'in_review'] } }
  return { and: [own, unpublished] }
}
