import type { CollectionConfig } from 'payload'
import { anyone, isChiefOrAdmin, isDeskOrAdmin } from '../access/roles.ts'
import { pinyinSlugField } from '../fields/slug.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { rebuildSiteAfterChange, rebuildSiteAfterDelete } from '../hooks/rebuildSite.ts'
import { collectionSlugs } from '../slugs.ts'
import { REVIEW_LEVELS_DEFAULT, REVIEW_LEVELS_MAX } from '../workflow/reviewLevels.ts'

export const Sections: CollectionConfig = {
  slug: collectionSlugs.sections,
  labels: {
    singular: { zh: '栏目', en: 'Section' },
    plural: { zh: '栏目', en: 'Sections' },
  },
  defaultSort: 'order',
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'slug', 'reviewLevels', 'order'],
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
    { name: 'name', type: 'text', required: true, unique: true, label: { zh: '名称', en: 'Name' } },
    pinyinSlugField({ useAsSlug: 'name' }),
    { name: 'description', type: 'textarea', label: { zh: '简介', en: 'Description' } },
    {
      name: 'reviewLevels',
      type: 'number',
      // The chief editor (and admins) set how many signatures a section's stories need: an
      // editor who could lower it could approve alone.
      access: { create: isChiefOrAdmin, update: isChiefOrAdmin },
      defaultValue: REVIEW_LEVELS_DEFAULT,
      min: 1,
      max: REVIEW_LEVELS_MAX,
      label: { zh: '审核级数', en: 'Review levels' },
      admin: {
        position: 'sidebar',
        description: {
          zh: '三审制：1 级（编辑审核）、2 级（初审、复审）或 3 级（初审、复审、总编辑签发）',
          en: '1 (an editor), 2 (first and second review) or 3 (plus the chief editor signing off)',
        },
      },
    },
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
