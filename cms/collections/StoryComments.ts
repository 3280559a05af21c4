import type { Access, CollectionBeforeChangeHook, CollectionConfig, FieldAccess } from 'payload'
import { isAdmin, isLoggedIn } from '../access/roles.ts'
import { keepMentions, notifyMentions } from '../hooks/notifyMentions.ts'
import { collectionSlugs } from '../slugs.ts'

export const COMMENT_MAX_LENGTH = 2000

/** Admins manage every comment; anyone else only their own. */
const adminOrAuthor: Access = ({ req }) => {
  if (isAdmin({ req })) return true
  return req.user ? { author: { equals: req.user.id } } : false
}

const serverOnly: FieldAccess = () => false

/** The comment is its writer's: the author is who is logged in, whatever the client sends. */
const stampAuthor: CollectionBeforeChangeHook = ({ data, operation, req, originalDoc }) => ({
  ...data,
  author: operation === 'create' ? (req.user?.id ?? null) : originalDoc?.author,
  body: typeof data.body === 'string' ? data.body.trim() : data.body,
})

/**
 * 稿件意见: the desk's thread on a story. Staff only: never read by anonymous callers or
 * partners, never part of a plate, so never in any outlet.
 */
export const StoryComments: CollectionConfig = {
  slug: collectionSlugs.storyComments,
  labels: {
    singular: { zh: '稿件意见', en: 'Story comment' },
    plural: { zh: '稿件意见', en: 'Story comments' },
  },
  defaultSort: 'createdAt',
  admin: {
    useAsTitle: 'body',
    defaultColumns: ['body', 'story', 'author', 'createdAt'],
    group: { zh: '工作', en: 'Work' },
  },
  access: { read: isLoggedIn, create: isLoggedIn, update: adminOrAuthor, delete: adminOrAuthor },
  hooks: {
    beforeChange: [stampAuthor, keepMentions],
    afterChange: [notifyMentions],
  },
  fields: [
    {
      name: 'story',
      type: 'relationship',
      relationTo: collectionSlugs.stories,
      required: true,
      index: true,
      label: { zh: '稿件', en: 'Story' },
      access: { update: serverOnly },
    },
    {
      name: 'body',
      type: 'textarea',
      required: true,
      maxLength: COMMENT_MAX_LENGTH,
      label: { zh: '意见', en: 'Comment' },
      validate: (value: unknown) => {
        const trimmed = typeof value === 'string' ? value.trim() : ''
        if (!trimmed) return '请填写意见内容（A comment needs some text）'
        if (trimmed.length > COMMENT_MAX_LENGTH)
          return `意见最多 ${COMMENT_MAX_LENGTH} 字，现有 ${trimmed.length} 字（A comment is at most ${COMMENT_MAX_LENGTH} characters）`
        return true
      },
    },
    {
      name: 'author',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      index: true,
      label: { zh: '作者', en: 'Author' },
      admin: { readOnly: true },
    },
    {
      // Kept by the mention hook from the body's @显示名: what a client sends here is ignored.
      name: 'mentions',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      hasMany: true,
      label: { zh: '提及', en: 'Mentions' },
      admin: { readOnly: true },
    },
  ],
}
