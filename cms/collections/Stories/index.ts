import type { CollectionConfig } from 'payload'
import { isEditorOrAdmin, isLoggedIn, publishedOrLoggedIn } from '../../access/roles.ts'
import { pinyinSlugField } from '../../fields/slug.ts'
import { collectionSlugs } from '../slugs.ts'
import { storyBodyEditor } from './bodyEditor.ts'

export const MAX_VERSIONS_PER_STORY = 100

export const Stories: CollectionConfig = {
  slug: collectionSlugs.stories,
  labels: {
    singular: { zh: '稿件', en: 'Story' },
    plural: { zh: '稿件', en: 'Stories' },
  },
  defaultSort: '-publishedAt',
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'section', '_status', 'publishedAt', 'updatedAt'],
    listSearchableFields: ['title', 'kicker', 'subtitle', 'summary'],
    group: { zh: '内容', en: 'Content' },
  },
  access: {
    read: publishedOrLoggedIn,
    readVersions: isLoggedIn,
    create: isLoggedIn,
    update: isLoggedIn,
    delete: isEditorOrAdmin,
  },
  versions: {
    maxPerDoc: MAX_VERSIONS_PER_STORY,
    drafts: {
      autosave: { interval: 2000 },
      schedulePublish: true,
    },
  },
  fields: [
    {
      name: 'kicker',
      type: 'text',
      label: { zh: '肩题', en: 'Kicker' },
    },
    {
      name: 'title',
      type: 'text',
      required: true,
      label: { zh: '主题', en: 'Title' },
    },
    {
      name: 'subtitle',
      type: 'text',
      label: { zh: '副题', en: 'Subtitle' },
    },
    {
      name: 'summary',
      type: 'textarea',
      label: { zh: '导语', en: 'Summary' },
    },
    {
      name: 'body',
      type: 'richText',
      label: { zh: '正文', en: 'Body' },
      editor: storyBodyEditor,
    },
    {
      name: 'heroImage',
      type: 'upload',
      relationTo: collectionSlugs.media,
      label: { zh: '题图', en: 'Hero image' },
    },
    {
      name: 'byline',
      type: 'group',
      label: { zh: '署名', en: 'Byline' },
      fields: [
        {
          name: 'authors',
          type: 'relationship',
          relationTo: collectionSlugs.users,
          hasMany: true,
          label: { zh: '作者（本站）', en: 'Staff authors' },
        },
        {
          name: 'text',
          type: 'text',
          label: { zh: '署名文字', en: 'Byline text' },
          admin: {
            description: {
              zh: '如“记者 王晓燕 通讯员 李强”',
              en: 'Free text, e.g. reporters and correspondents',
            },
          },
        },
      ],
    },
    {
      name: 'source',
      type: 'text',
      label: { zh: '来源', en: 'Source' },
    },
    {
      name: 'dateline',
      type: 'text',
      label: { zh: '电头地点', en: 'Dateline place' },
    },
    {
      name: 'people',
      type: 'relationship',
      relationTo: collectionSlugs.people,
      hasMany: true,
      label: { zh: '相关劳模工匠', en: 'People featured' },
    },
    {
      name: 'section',
      type: 'relationship',
      relationTo: collectionSlugs.sections,
      required: true,
      label: { zh: '栏目', en: 'Section' },
      admin: { position: 'sidebar' },
    },
    {
      name: 'tags',
      type: 'text',
      hasMany: true,
      label: { zh: '标签', en: 'Tags' },
      admin: { position: 'sidebar' },
    },
    pinyinSlugField({ useAsSlug: 'title' }),
    {
      name: 'publishedAt',
      type: 'date',
      index: true,
      label: { zh: '发布时间', en: 'Published at' },
      admin: {
        position: 'sidebar',
        date: { pickerAppearance: 'dayAndTime' },
      },
    },
  ],
}
