import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, isLoggedIn } from '../access/roles.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { collectionSlugs } from '../slugs.ts'

/**
 * The house term list (规范用语) editors maintain: a term, how serious using it is (禁用 blocks
 * a story, 提示 suggests), the form to use instead, and whether it matches only as a whole word.
 */
export const HouseTerms: CollectionConfig = {
  slug: collectionSlugs.houseTerms,
  labels: { singular: { zh: '规范用语', en: 'House term' }, plural: { zh: '规范用语', en: 'House terms' } },
  admin: {
    useAsTitle: 'term',
    defaultColumns: ['term', 'severity', 'replacement', 'note'],
    group: { zh: '内容', en: 'Content' },
  },
  access: { read: isLoggedIn, create: isDeskOrAdmin, update: isDeskOrAdmin, delete: isDeskOrAdmin },
  hooks: { afterChange: [auditChange], afterDelete: [auditDelete] },
  fields: [
    { name: 'term', type: 'text', required: true, unique: true, label: { zh: '词语', en: 'Term' } },
    {
      name: 'severity',
      type: 'select',
      required: true,
      defaultValue: 'suggest',
      options: [
        { value: 'block', label: { zh: '禁用（阻断发稿）', en: 'Forbidden (blocks)' } },
        { value: 'suggest', label: { zh: '提示', en: 'Suggestion' } },
      ],
      label: { zh: '级别', en: 'Severity' },
    },
    { name: 'replacement', type: 'text', label: { zh: '建议改为', en: 'Use instead' } },
    {
      name: 'wholeWord',
      type: 'checkbox',
      defaultValue: false,
      label: { zh: '仅整词匹配', en: 'Whole word only' },
      admin: {
        description: {
          zh: '勾选后，词语出现在更长的词中（如“工会”在“总工会”中）不算命中',
          en: 'Ticked: no hit inside a longer word',
        },
      },
    },
    { name: 'note', type: 'text', label: { zh: '依据 / 说明', en: 'Note' } },
  ],
}
