import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, isLoggedIn } from '../../access/roles.ts'
import { auditChange, auditDelete } from '../../hooks/audit.ts'
import { collectionSlugs } from '../../slugs.ts'
import { columnExportEndpoints } from './exportEndpoint.ts'
import { checkSlots, showFit } from './fitHooks.ts'

/** One issue of a column: its date and its slots, each a story with a character budget. */
export const ColumnIssues: CollectionConfig = {
  slug: collectionSlugs.columnIssues,
  labels: {
    singular: { zh: '专栏期次', en: 'Column issue' },
    plural: { zh: '专栏期次', en: 'Column issues' },
  },
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'column', 'issueDate', 'fitSummary'],
    group: { zh: '报纸', en: 'Print' },
  },
  access: { read: isLoggedIn, create: isDeskOrAdmin, update: isDeskOrAdmin, delete: isDeskOrAdmin },
  endpoints: columnExportEndpoints,
  hooks: {
    beforeChange: [checkSlots],
    afterRead: [showFit],
    afterChange: [auditChange],
    afterDelete: [auditDelete],
  },
  fields: [
    { name: 'title', type: 'text', required: true, label: { zh: '期次名', en: 'Title' } },
    {
      name: 'column',
      type: 'relationship',
      relationTo: collectionSlugs.columns,
      required: true,
      label: { zh: '专栏', en: 'Column' },
    },
    {
      name: 'issueDate',
      type: 'date',
      required: true,
      index: true,
      label: { zh: '见报日期', en: 'Issue date' },
      admin: { date: { pickerAppearance: 'dayOnly', displayFormat: 'yyyy-MM-dd' } },
    },
    {
      name: 'fitSummary',
      type: 'text',
      virtual: true,
      label: { zh: '字数核算', en: 'Fit' },
      admin: { readOnly: true },
    },
    {
      name: 'package',
      type: 'ui',
      admin: { components: { Field: '/components/ColumnPackageLink.tsx#ColumnPackageLink' } },
    },
    {
      name: 'slots',
      type: 'array',
      minRows: 1,
      label: { zh: '版位', en: 'Slots' },
      labels: { singular: { zh: '版位', en: 'Slot' }, plural: { zh: '版位', en: 'Slots' } },
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
          name: 'budget',
          type: 'number',
          min: 1,
          label: { zh: '字数预算', en: 'Budget' },
          admin: { description: { zh: '不填则按专栏版面规格计算', en: 'Empty: from the column geometry' } },
        },
        { name: 'printKicker', type: 'text', label: { zh: '见报肩题', en: 'Print kicker' } },
        { name: 'printTitle', type: 'text', label: { zh: '见报主题', en: 'Print title' } },
        { name: 'printSubtitle', type: 'text', label: { zh: '见报副题', en: 'Print subtitle' } },
        {
          name: 'fit',
          type: 'text',
          virtual: true,
          label: { zh: '字数核算', en: 'Fit' },
          admin: { readOnly: true },
        },
      ],
    },
    {
      name: 'exports',
      type: 'array',
      label: { zh: '强制导出记录', en: 'Forced exports' },
      admin: { readOnly: true, initCollapsed: true },
      access: { update: () => false, create: () => false },
      fields: [
        { name: 'at', type: 'date', label: { zh: '时间', en: 'At' } },
        { name: 'overflow', type: 'number', label: { zh: '超出字数', en: 'Over by' } },
        { name: 'detail', type: 'text', label: { zh: '说明', en: 'Detail' } },
      ],
    },
  ],
}
