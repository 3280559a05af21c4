import type { Access, CollectionConfig, FieldAccess } from 'payload'
import { nobody } from '../access/roles.ts'
import { notificationKindLabels, notificationKinds } from '../hooks/notify.ts'
import { collectionSlugs } from '../slugs.ts'

/** Everyone reads only their own inbox, admins included; anonymous callers nothing. */
const ownInbox: Access = ({ req }) => (req.user ? { recipient: { equals: req.user.id } } : false)

/** What a recipient may change: only when they read it. Every other field is the server's. */
const serverOnly: FieldAccess = () => false

/**
 * 通知: one line in one user's inbox, written by the server (see `notify` in hooks/notify.ts)
 * when their story is sent back, signed, published, fired late or failed, or they are
 * mentioned in a comment. Never created or deleted over the API.
 */
export const Notifications: CollectionConfig = {
  slug: collectionSlugs.notifications,
  labels: {
    singular: { zh: '通知', en: 'Notification' },
    plural: { zh: '通知', en: 'Notifications' },
  },
  defaultSort: '-createdAt',
  admin: {
    useAsTitle: 'text',
    defaultColumns: ['text', 'kind', 'story', 'readAt', 'createdAt'],
    // Out of Payload's nav: 通知 (n), with the unread count, is the inbox's one link there.
    group: false,
    components: {
      beforeListTable: ['/components/MarkAllRead.tsx#MarkAllRead'],
      edit: { beforeDocumentControls: ['/components/MarkRead.tsx#MarkRead'] },
    },
  },
  access: { read: ownInbox, update: ownInbox, create: nobody, delete: nobody },
  fields: [
    {
      name: 'recipient',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      required: true,
      index: true,
      label: { zh: '收件人', en: 'Recipient' },
      access: { update: serverOnly },
      admin: { readOnly: true },
    },
    {
      name: 'kind',
      type: 'select',
      required: true,
      options: notificationKinds.map((kind) => ({ value: kind, label: notificationKindLabels[kind] })),
      label: { zh: '类别', en: 'Kind' },
      access: { update: serverOnly },
      admin: { readOnly: true },
    },
    {
      name: 'text',
      type: 'textarea',
      required: true,
      label: { zh: '内容', en: 'Text' },
      access: { update: serverOnly },
      admin: { readOnly: true },
    },
    {
      name: 'story',
      type: 'relationship',
      relationTo: collectionSlugs.stories,
      label: { zh: '稿件', en: 'Story' },
      access: { update: serverOnly },
      admin: { readOnly: true },
    },
    {
      name: 'actor',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      label: { zh: '操作人', en: 'By' },
      access: { update: serverOnly },
      admin: { readOnly: true },
    },
    {
      name: 'readAt',
      type: 'date',
      index: true,
      label: { zh: '已读时间', en: 'Read at' },
      admin: { readOnly: true, date: { pickerAppearance: 'dayAndTime' } },
      hooks: {
        // Read stays read: a save that sends no time (the edit view's own 保存, sent before the
        // page reloaded after 打开) keeps the time it was first read.
        beforeChange: [({ value, originalDoc }) => value || originalDoc?.readAt || value],
      },
    },
  ],
}
