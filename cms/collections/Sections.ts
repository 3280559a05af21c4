import type { CollectionConfig } from 'payload'
import { anyone, isEditorOrAdmin } from '../access/roles.ts'
import { pinyinSlugField } from '../fields/slug.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { rebuildSiteAfterChange, rebuildSiteAfterDelete } from '../hooks/rebuildSite.ts'
import { collectionSlugs } from '../slugs.ts'

export const Sections: CollectionConfig = {
  slug: collectionSlugs.sections,
  labels: {
    singular: { zh: '栏目', en: 'Section' },
    plural: { zh: '栏目', en: 'Sections' },
  },
  defaultSort: 'order',
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'slug', 'order'],
    group: { zh: '内容', en: 'Content' },
  },
  access: {
    read: anyone,
    create: isEditorOrAdmin,
    update: isEditorOrAdmin,
    delete: isEditorOrAdmin,
  },
  hooks: {
    afterChange: [auditChange, rebuildSiteAfterChange],
    afterDelete: [auditDelete, rebuildSiteAfterDelete],
  },
  fields: [
    { name: 'name', type: 'text', required: true, unique: true, label: { zh: '名称', en: 'Name' } },
    pinyinSlugField({ useAsSlug: 'name' }),
    { name: 'description', type: 'textarea', label: { zh: '简介', en: 'Description' } },
    {
      name: 'order',
      type: 'number',
      required: true,
      defaultValue: 100,
      min: 0,
      label: { zh: '排序', en: 'Order' },
      admin: { position: 'sidebar', description: { zh: '数字小的排在前面', en: 'Lower comes first' } },
    },
  ],
}
