import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, isLoggedIn } from '../../access/roles.ts'
import { auditChange, auditDelete } from '../../hooks/audit.ts'
import { collectionSlugs } from '../../slugs.ts'
import { tvExportEndpoints } from './exportEndpoint.ts'
import { checkSegments, showFit } from './fitHooks.ts'

/**
 * One episode of a TV programme: its air date and its segments, each a story with a time
 * budget and the TV desk's own notes per paragraph (画面, 解说 or 同期声, TV-only rewording).
 */
export const TvEpisodes: CollectionConfig = {
  slug: collectionSlugs.tvEpisodes,
  labels: {
    singular: { zh: '电视节目期次', en: 'TV episode' },
    plural: { zh: '电视节目期次', en: 'TV episodes' },
  },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'programme', 'airDate', 'fitSummary'],
    group: { zh: '电视', en: 'TV' },
  },
  access: { read: isLoggedIn, create: isDeskOrAdmin, update: isDeskOrAdmin, delete: isDeskOrAdmin },
  endpoints: tvExportEndpoints,
  hooks: {
    beforeChange: [checkSegments],
    afterRead: [showFit],
    afterChange: [auditChange],
    afterDelete: [auditDelete],
  },
  fields: [
    { name: 'title', type: 'text', required: true, label: { zh: '期次名', en: 'Title' } },
    {
      name: 'programme',
      type: 'relationship',
      relationTo: collectionSlugs.tvProgrammes,
      required: true,
      label: { zh: '节目', en: 'Programme' },
    },
    {
      name: 'airDate',
      type: 'date',
      required: true,
      index: true,
      label: { zh: '播出日期', en: 'Air date' },
      admin: { date: { pickerAppearance: 'dayOnly', displayFormat: 'yyyy-MM-dd' } },
    },
    {
      name: 'fitSummary',
      type: 'text',
      virtual: true,
      label: { zh: '时长核算', en: 'Timing' },
      admin: { readOnly: true },
    },
    {
      name: 'package',
      type: 'ui',
      admin: { components: { Field: '/components/TvPackageLink.tsx#TvPackageLink' } },
    },
    {
      name: 'segments',
      type: 'array',
      minRows: 1,
      label: { zh: '节目单', en: 'Segments' },
      labels: { singular: { zh: '条目', en: 'Segment' }, plural: { zh: '条目', en: 'Segments' } },
      fields: [
        {
          name: 'story',
          type: 'relationship',
          relationTo: collectionSlugs.stories,
          required: true,
          label: { zh: '稿件', en: 'Story' },
          filterOptions: { stage: { in: ['approved', 'scheduled', 'published', 'corrected'] } },
        },
        {
          name: 'budgetSeconds',
          type: 'number',
          min: 1,
          label: { zh: '时长预算（秒）', en: 'Budget (seconds)' },
          admin: { description: { zh: '不填则按节目设定', en: 'Empty: the programme default' } },
        },
        { name: 'tvTitle', type: 'text', label: { zh: '电视标题', en: 'TV title' } },
        {
          name: 'lead',
          type: 'textarea',
          label: { zh: '口播导语', en: 'Anchor lead' },
          admin: { description: { zh: '不填则用稿件导语（摘要）', en: 'Empty: the story summary' } },
        },
        {
          name: 'timing',
          type: 'text',
          virtual: true,
          label: { zh: '时长核算', en: 'Timing' },
          admin: { readOnly: true },
        },
        {
          name: 'shots',
          type: 'array',
          label: { zh: '分段编排（画面 · 解说/同期声）', en: 'Per paragraph (visuals, voice)' },
          labels: { singular: { zh: '段落', en: 'Paragraph' }, plural: { zh: '段落', en: 'Paragraphs' } },
          admin: { initCollapsed: true },
          fields: [
            {
              name: 'paragraph',
              type: 'number',
              required: true,
              min: 1,
              label: { zh: '第几段', en: 'Paragraph no.' },
            },
            { name: 'visual', type: 'textarea', label: { zh: '画面', en: 'Visuals' } },
            {
              name: 'voice',
              type: 'select',
              label: { zh: '声音', en: 'Voice' },
              options: [
                { value: 'narration', label: { zh: '解说', en: 'Narration' } },
                { value: 'sync', label: { zh: '同期声', en: 'Sync sound' } },
              ],
              admin: {
                description: { zh: '不填：引语为同期声，其余为解说', en: 'Empty: quotes are sync sound' },
              },
            },
            {
              name: 'text',
              type: 'textarea',
              label: { zh: '电视改写', en: 'TV wording' },
              admin: { description: { zh: '不填则用稿件原文', en: 'Empty: the story’s own words' } },
            },
          ],
        },
      ],
    },
  ],
}
