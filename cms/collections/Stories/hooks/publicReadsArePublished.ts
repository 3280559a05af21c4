import type { CollectionBeforeOperationHook } from 'payload'

/**
 * A reader who is not signed in never reads versions: `?draft=true` (REST) or
 * `draft: true` (GraphQL) is ignored for them, whatever access would have matched.
 */
export const publicReadsArePublished: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  // Server code (overrideAccess) reads drafts on purpose; only access-checked reads are the public's.
  if (req.user || operation !== 'read' || args.overrideAccess !== false) return args
  return { ...args, draft: false }
}
