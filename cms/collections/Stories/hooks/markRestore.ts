import type { CollectionBeforeOperationHook } from 'payload'

/** Set on a request that restores an old version: the workflow hook keeps the story's place. */
export const RESTORE_CONTEXT_KEY = 'restoringVersion'
/** Set with it when the restore is "as a draft": a new draft version, the live story untouched. */
export const RESTORE_AS_DRAFT_CONTEXT_KEY = 'restoringAsDraft'

/**
 * Payload runs a restore through the same `beforeChange` hooks as an update, saying so only
 * here: the restored version's id is noted in the request's context for them.
 */
export const markRestore: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation === 'restoreVersion') {
    req.context[RESTORE_CONTEXT_KEY] = String((args as { id?: unknown }).id)
    req.context[RESTORE_AS_DRAFT_CONTEXT_KEY] = (args as { draft?: unknown }).draft === true
  }
  return args
}
