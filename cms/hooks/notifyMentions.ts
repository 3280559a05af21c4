import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'
import { collectionSlugs } from '../slugs.ts'
import { nameOfUser, notify, storyOfNotice, userIdOf } from './notify.ts'

const EXCERPT_LENGTH = 60

type Mentionable = { id: number; name: string }

/**
 * The users a text mentions as `@显示名`. Chinese names run on into the next word with no space
 * between, so at each `@` the longest display name that follows is taken (`@王晓燕请看` is
 * 王晓燕, not a 王晓 who also works here).
 */
export function findMentions({ text, users }: { text: string; users: readonly Mentionable[] }): number[] {
  const byLength = users.filter((user) => user.name.trim()).toSorted((a, b) => b.name.length - a.name.length)
  const found = new Set<number>()
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    const rest = text.slice(at + 1)
    const user = byLength.find((candidate) => rest.startsWith(candidate.name.trim()))
    if (user) found.add(user.id)
  }
  return [...found]
}

/** Keeps a comment's `mentions` to the colleagues its body names; a client's list is ignored. */
export const keepMentions: CollectionBeforeChangeHook = async ({ data, req }) => {
  const body = typeof data.body === 'string' ? data.body : ''
  return {
    ...data,
    mentions: body.includes('@') ? findMentions({ text: body, users: await staffNames(req) }) : [],
  }
}

/** Each colleague newly mentioned in a comment finds it in their inbox (not the writer). */
export const notifyMentions: CollectionAfterChangeHook = async ({ doc, previousDoc, req, context }) => {
  if (context.isSeed === true) return doc
  const before = new Set(((previousDoc?.mentions ?? []) as (number | { id: number })[]).map(userIdOf))
  const added = ((doc.mentions ?? []) as (number | { id: number })[])
    .map(userIdOf)
    .filter((id) => !before.has(id))
  if (added.length === 0) return doc
  const storyId = userIdOf(doc.story)
  const story = storyId ? await storyOfNotice({ req, id: storyId }) : undefined
  const writer = await nameOfUser({ req, user: doc.author })
  const body = String(doc.body ?? '')
  const excerpt = body.length > EXCERPT_LENGTH ? `${body.slice(0, EXCERPT_LENGTH)}…` : body
  await notify({
    req,
    recipients: added,
    kind: 'mention',
    story: storyId,
    text: `${writer} 在《${story?.title ?? `稿件 ${storyId}`}》的意见中提到了你：${excerpt}`,
    actor: doc.author,
  })
  return doc
}

async function staffNames(req: PayloadRequest): Promise<Mentionable[]> {
  const { docs } = await req.payload.find({
    collection: collectionSlugs.users,
    depth: 0,
    pagination: false,
    select: { name: true },
    overrideAccess: true,
    req,
  })
  return docs.map((user) => ({ id: user.id, name: String(user.name ?? '') }))
}
