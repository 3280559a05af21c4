import { APIError, type CollectionBeforeChangeHook, type CollectionBeforeDeleteHook } from 'payload'
import { liveStages, type Stage } from '../../../workflow/stages.ts'
import { collectionSlugs } from '../../slugs.ts'

/** The account that created a story owns it (reporters may edit only their own). */
export const stampCreator: CollectionBeforeChangeHook = ({ data, operation, req, originalDoc }) => ({
  ...data,
  createdBy: operation === 'create' ? (req.user?.id ?? null) : originalDoc?.createdBy,
})

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
