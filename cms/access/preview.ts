import type { PayloadRequest, Where } from 'payload'
import { isDeskOrAdmin, roleOf } from './roles.ts'

/**
 * Who may see a story's drafts in its preview, and give out a share link to it: editors and
 * admins any story, a reporter the stories they created (as `updateStories` lets a reporter
 * edit only their own), nobody else. A query constraint, as the collection's own access
 * rules are: `true` for every story, a constraint for some, `false` for none.
 */
export function previewableStories({ req }: { req: PayloadRequest }): boolean | Where {
  if (isDeskOrAdmin({ req })) return true
  if (roleOf(req) !== 'reporter' || !req.user) return false
  return { createdBy: { equals: req.user.id } }
}
