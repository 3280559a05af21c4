import type { CollectionConfig } from 'payload'
import { isLoggedIn, nobody } from '../access/roles.ts'
import { collectionSlugs } from '../slugs.ts'

/**
 * What was pushed to the WeChat official account's draft box, story by story: the draft's
 * media_id, the story version it carries, when and by whom, or why a push failed. Written by
 * the server only.
 */
export const WechatPushes: CollectionConfig = {
  slug: collectionSlugs.wechatPushes,
  labels: {
    singular: { zh: '公众号推送记录', en: 'WeChat push' },
    plural: { zh: '公众号推送记录', en: 'WeChat pushes' },
  },
  defaultSort: '-createdAt',
  admin: {
    useAsTitle: 'mediaId',
    defaultColumns: ['story', 'action', 'status', 'storyVersion', 'createdAt'],
    group: { zh: '公众号', en: 'WeChat' },
  },
  access: { read: isLoggedIn, create: nobody, update: nobody, delete: nobody },
  fields: [
    {
      name: 'story',
      type: 'relationship',
      relationTo: collectionSlugs.stories,
      required: true,
      index: true,
      label: { zh: '稿件', en: 'Story' },
    },
    {
      name: 'action',
      type: 'select',
      required: true,
      options: [
        { value: 'add', label: { zh: '新建草稿', en: 'Draft added' } },
        { value: 'update', label: { zh: '更新草稿', en: 'Draft updated' } },
      ],
      label: { zh: '操作', en: 'Action' },
    },
    {
      name: 'status',
      type: 'select',
      required: true,
      options: [
        { value: 'pushed', label: { zh: '已推送', en: 'Pushed' } },
        { value: 'failed', label: { zh: '失败', en: 'Failed' } },
      ],
      label: { zh: '结果', en: 'Result' },
    },
    { name: 'mediaId', type: 'text', index: true, label: { zh: '草稿 media_id', en: 'Draft media_id' } },
    { name: 'storyVersion', type: 'number', label: { zh: '稿件版本', en: 'Story version' } },
    { name: 'appId', type: 'text', label: { zh: '公众号 AppID', en: 'AppID' } },
    { name: 'characters', type: 'number', label: { zh: '正文字符数', en: 'Content characters' } },
    { name: 'bytes', type: 'number', label: { zh: '正文字节数', en: 'Content bytes' } },
    { name: 'error', type: 'text', label: { zh: '失败原因', en: 'Error' } },
    {
      name: 'by',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      label: { zh: '操作人', en: 'By' },
    },
  ],
}
