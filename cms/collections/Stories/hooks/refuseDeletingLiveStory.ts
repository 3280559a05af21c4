import { APIError, type CollectionBeforeDeleteHook } from 'payload'
import { collectionSlugs } from '../../../slugs.ts'
import { liveStages, type Stage } from '../../../workflow/stages.ts'

/** A story that readers have seen (even if withdrawn since) is never deleted: its record must stay. */
export const refuseDeletingLiveStory: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const story = await req.payload.findByID({
    collection: collectionSlugs.stories,
    id,
    depth: 0,
    overrideAccess: true,
    req,
  })
  const wasEverLive = (story.stageHistory ?? []).some((change) => liveStages.includes(change.to as Stage))
  if (liveStages.includes(story.stage as Stage) || wasEverLive) {
    throw new APIError(
      '已发布的稿件不能删除，请改为撤稿（A published story cannot be deleted: withdraw it instead）',
      400,
      null,
      true,
    )
  }
}
