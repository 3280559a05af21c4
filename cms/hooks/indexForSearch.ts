import type { CollectionAfterChangeHook } from 'payload'
import { requestDb } from '../db/requestDb.ts'
import type { Story } from '../payload-types.ts'
import { syncSearchEntry } from '../publishing/search/searchEntries.ts'

/**
 * Search follows a story where it goes live and where it leaves (publish, correct, withdraw,
 * unpublish, by hand or by a schedule), in the same transaction as the change: the story is
 * findable from the moment it is public and gone from the moment it is not. A delete removes
 * its entry with it (a foreign key). Seeds and bulk imports are indexed too (one statement a story).
 */
export const indexStoryForSearch: CollectionAfterChangeHook<Story> = async ({ doc, req }) => {
  await syncSearchEntry({ db: await requestDb({ payload: req.payload, req }), doc })
  return doc
}
