import type { CollectionConfig } from 'payload'
import { anyone, isDeskOrAdmin, isLoggedIn } from '../access/roles.ts'
import { pinyinSlugField } from '../fields/slug.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { rebuildSiteAfterChange, rebuildSiteAfterDelete } from '../hooks/rebuildSite.ts'
import { collectionSlugs } from '../slugs.ts'

export const honourLevels = [
  { value: 'national', label: { zh: '全国', en: 'National' } },
  { value: 'provincial', label: { zh: '省级', en: 'Provincial' } },
  { value: 'municipal', label: { zh: '市级', en: 'Municipal' } },
  { value: 'district', label: { zh: '区县级', en: 'District' } },
  { value: 'enterprise', label: { zh: '企业', en: 'Enterprise' } },
]

/** Model workers and craftsmen (劳模、工匠) that stories feature. */
export const People: CollectionConfig = {
  slug: collectionSlugs.people,
  labels: {
    singular: { zh: '劳模工匠', en: 'Person' },
    plural: { zh: '劳模工匠', en: 'People' },
  },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'workplace', 'trade'],
    group: { zh: '内容', en: 'Content' },
  },
  access: {
    read: anyone,
    create: isDeskOrAdmin,
    update: isDeskOrAdmin,
    delete: isDeskOrAdmin,
  },
  hooks: {
    afterChange: [auditChange, rebuildSiteAfterChange],
    afterDelete: [auditDelete, rebuildSiteAfterDelete],
  },
  fields: [
    { name: 'name', type: 'text', required: true, label: { zh: '姓名', en: 'Name' } },
    pinyinSlugField({ useAsSlug: 'name' }),
    {
      name: 'portrait',
      type: 'upload',
      relationTo: collectionSlugs.media,
      label: { zh: '肖像', en: 'Portrait' },
    },
    {
      name: 'honours',
      type: 'array',
      label: { zh: '荣誉', en: 'Honours' },
      labels: { singular: { zh: '荣誉', en: 'Honour' }, plural: { zh: '荣誉', en: 'Honours' } },
      fields: [
        { name: 'title', type: 'text', required: true, label: { zh: '称号', en: 'Title' } },
        {
          name: 'level',
          type: 'select',
          required: true,
          options: honourLevels,
          label: { zh: '级别', en: 'Level' },
        },
        {
          name: 'year',
          type: 'number',
          required: true,
          min: 1950,
          max: 2100,
          label: { zh: '年份', en: 'Year' },
        },
      ],
    },
    { name: 'workplace', type: 'text', label: { zh: '工作单位', en: 'Workplace' } },
    { name: 'trade', type: 'text', label: { zh: '工种 / 行业', en: 'Trade' } },
    { name: 'unionBranch', type: 'text', label: { zh: '所属工会', en: 'Union branch' } },
    { name: 'bio', type: 'textarea', label: { zh: '简介', en: 'Short bio' } },
    {
      name: 'contactPhone',
      type: 'text',
      label: { zh: '联系电话（内部）', en: 'Phone (internal)' },
      access: { read: isLoggedIn },
      admin: {
        description: { zh: '仅编辑部可见，不对外发布', en: 'Staff only; never published' },
      },
    },
  ],
}
