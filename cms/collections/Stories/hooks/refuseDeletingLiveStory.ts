import { APIError, type CollectionBeforeDeleteHook } from 'payload'
import { liveStages, type Stage } from '../../../workflow/stages.ts'
import { collectionSlugs } from '../../slugs.ts'

/** A story that readers have seen is withdrawn, never deleted: its record must stay. */
export const refuseDeletingLiveStory: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const story = await req.payload.findByID({
    collection: collectionSlugs.stories,
    id,
    depth: 0,
    overrideAccess: true,
    req,
  })
  if (liveStages.includes(story.stage as Stage)) {
    throw new APIError(
      '已发布的稿件不能删除，请改为撤稿（A published story cannot be deleted: withdraw it instead）',
      400,
      null,
      true,
    )
  }
}
