import type { PayloadRequest } from 'payload'
import { isEmailConfigured } from '../lib/smtpEmail.ts'
import type { Story } from '../payload-types.ts'
import { collectionSlugs } from '../slugs.ts'

/** What a notification is about: each one a line in the recipient's inbox (通知). */
export const notificationKinds = [
  'sentBack',
  'signed',
  'published',
  'scheduleLate',
  'scheduleFailed',
  'mention',
] as const
export type NotificationKind = (typeof notificationKinds)[number]

export const notificationKindLabels: Record<NotificationKind, { zh: string; en: string }> = {
  sentBack: { zh: '退回修改', en: 'Sent back' },
  signed: { zh: '审核签字', en: 'Signed' },
  published: { zh: '已发布', en: 'Published' },
  scheduleLate: { zh: '定时迟发', en: 'Schedule late' },
  scheduleFailed: { zh: '定时失败', en: 'Schedule failed' },
  mention: { zh: '提及', en: 'Mention' },
}

type UserRef = number | { id: number } | null | undefined

export function userIdOf(user: UserRef): number | undefined {
  if (user === null || user === undefined) return undefined
  return typeof user === 'object' ? user.id : user
}

/**
 * Puts a notification in each recipient's inbox, in the save's own transaction (`req`), and
 * e-mails it when HONGYAN_SMTP_URL is set. Nobody is told about their own action: the actor is
 * left out of the recipients. An e-mail that cannot be sent is logged; the save goes on.
 */
export async function notify({
  req,
  recipients,
  kind,
  story,
  text,
  actor,
}: {
  req: PayloadRequest
  recipients: readonly UserRef[]
  kind: NotificationKind
  story?: number
  text: string
  actor?: UserRef
}): Promise<void> {
  const actorId = userIdOf(actor)
  const ids = [...new Set(recipients.map(userIdOf))].filter(
    (id): id is number => id !== undefined && id !== actorId,
  )
  for (const recipient of ids) {
    await req.payload.create({
      collection: collectionSlugs.notifications,
      data: { recipient, kind, story, text, actor: actorId ?? null },
      overrideAccess: true,
      req,
    })
  }
  if (ids.length > 0 && isEmailConfigured()) emailRecipients({ req, ids, kind, story, text })
}

/** The story a notification is about, as last saved; undefined (logged) when it is gone. */
export async function storyOfNotice({
  req,
  id,
}: {
  req: PayloadRequest
  id: number
}): Promise<Story | undefined> {
  return req.payload
    .findByID({ collection: collectionSlugs.stories, id, draft: true, depth: 0, overrideAccess: true, req })
    .catch((err: unknown) => {
      req.payload.logger.warn({ msg: `notification: story ${id} not found`, err })
      return undefined
    })
}

/** The actor's display name, for the sentence a notification reads as. */
export async function nameOfUser({ req, user }: { req: PayloadRequest; user: UserRef }): Promise<string> {
  const id = userIdOf(user)
  if (id === undefined) return '系统'
  if (req.user && req.user.id === id && typeof req.user.name === 'string') return req.user.name
  const found = await req.payload
    .findByID({ collection: collectionSlugs.users, id, depth: 0, overrideAccess: true, req })
    .catch((err: unknown) => {
      req.payload.logger.warn({ msg: `notification: user ${id} not found`, err })
      return undefined
    })
  return found?.name || `用户 ${id}`
}

/** Sent after the save, not awaited: a slow or absent mail server never holds up an editor. */
function emailRecipients({
  req,
  ids,
  kind,
  story,
  text,
}: {
  req: PayloadRequest
  ids: number[]
  kind: NotificationKind
  story?: number
  text: string
}): void {
  const { payload } = req
  const serverUrl = payload.config.serverURL
  const link = story && serverUrl ? `${serverUrl}/admin/collections/${collectionSlugs.stories}/${story}` : ''
  const send = async () => {
    const { docs } = await payload.find({
      collection: collectionSlugs.users,
      where: { id: { in: ids } },
      depth: 0,
      pagination: false,
      overrideAccess: true,
    })
    for (const user of docs) {
      await payload.sendEmail({
        to: user.email,
        subject: `【鸿雁】${notificationKindLabels[kind].zh}`,
        text: link ? `${text}\n\n${link}` : text,
      })
    }
  }
  send().catch((err: unknown) => {
    payload.logger.error({ msg: `notification e-mail (${kind}) to users ${ids.join(', ')} not sent`, err })
  })
}
