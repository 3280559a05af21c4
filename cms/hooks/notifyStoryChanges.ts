import type { CollectionAfterChangeHook, PayloadRequest } from 'payload'
import type { Story } from '../payload-types.ts'
import { collectionSlugs } from '../slugs.ts'
import { isSendBack } from '../workflow/actions.ts'
import {
  type ReviewLevel,
  reviewLevelsOf,
  type Signature,
  signActionLabel,
  standingSignatures,
} from '../workflow/reviewLevels.ts'
import type { Stage } from '../workflow/stages.ts'
import { nameOfUser, notify, userIdOf } from './notify.ts'

/**
 * Tells a story's author what the desk did with it: a send-back with its reason, each new
 * review signature with its note, its publication. Read from what the save added to the
 * stage history and the signatures (written by the workflow hook), so a change made any way
 * (the action bar, REST, GraphQL, a schedule) is told once, and never to whoever made it.
 */
export const notifyStoryChanges: CollectionAfterChangeHook<Story> = async ({
  doc,
  previousDoc,
  operation,
  req,
  context,
}) => {
  if (operation !== 'update' || context.isSeed === true) return doc
  const author = userIdOf(doc.createdBy)
  if (author === undefined) return doc
  const title = `《${doc.title}》`
  for (const change of added(doc.stageHistory, previousDoc?.stageHistory)) {
    const actor = userIdOf(change.by) ?? (typeof req.user?.id === 'number' ? req.user.id : undefined)
    const from = change.from as Stage
    const to = change.to as Stage
    if (isSendBack({ from, to, isAuthor: actor === author }) && change.note) {
      const who = await nameOfUser({ req, user: actor })
      const text = `${who} 退回了${title}：${change.note}`
      await notify({ req, recipients: [author], kind: 'sentBack', story: doc.id, text, actor })
    }
    if (to === 'published' && from !== 'published') {
      const how = actor === undefined ? '定时发布' : `${await nameOfUser({ req, user: actor })} 发布`
      const text = `${title}已发布（${how}）`
      await notify({ req, recipients: [author], kind: 'published', story: doc.id, text, actor })
    }
  }
  const signed = newSignatures({ now: doc.signatures, before: previousDoc?.signatures })
  if (signed.length > 0) {
    const levels = await levelsOf({ req, section: doc.section })
    for (const signature of signed) {
      const actor = userIdOf(signature.by)
      const who = await nameOfUser({ req, user: actor })
      const action = signActionLabel({ level: signature.level as ReviewLevel, levels }).zh
      const text = `${who} ${action}${title}${signature.note ? `：${signature.note}` : ''}`
      await notify({ req, recipients: [author], kind: 'signed', story: doc.id, text, actor })
    }
  }
  return doc
}

/** The rows of `now` that `before` did not have (array rows keep their id across saves). */
function added<Row extends { id?: string | null }>(
  now: readonly Row[] | null | undefined,
  before: readonly Row[] | null | undefined,
): Row[] {
  const known = new Set((before ?? []).map((row) => row.id))
  return (now ?? []).filter((row) => !row.id || !known.has(row.id))
}

function newSignatures({
  now,
  before,
}: {
  now: Story['signatures']
  before: Story['signatures']
}): (Signature & { id?: string | null })[] {
  const standingBefore = new Set(
    standingSignatures(before as Signature[]).map((signature) => (signature as { id?: string }).id),
  )
  return standingSignatures(now as Signature[]).filter(
    (signature) => !standingBefore.has((signature as { id?: string }).id),
  )
}

async function levelsOf({ req, section }: { req: PayloadRequest; section: Story['section'] }) {
  if (typeof section === 'object') return reviewLevelsOf(section)
  const found = await req.payload
    .findByID({ collection: collectionSlugs.sections, id: section, depth: 0, overrideAccess: true, req })
    .catch((err: unknown) => {
      req.payload.logger.warn({ msg: `notification: section ${section} not found`, err })
      return undefined
    })
  return reviewLevelsOf(found)
}
