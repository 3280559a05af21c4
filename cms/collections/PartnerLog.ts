import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, nobody } from '../access/roles.ts'
import { collectionSlugs } from '../slugs.ts'

/**
 * Every partner pull and webhook delivery: who, when, what was served (item ids and
 * versions), from where, and the answer. Written by the server only; editors read it.
 */
export const PartnerLog: CollectionConfig = {
  slug: collectionSlugs.partnerLog,
  labels: {
    singular: { zh: '分发记录', en: 'Distribution log entry' },
    plural: { zh: '分发记录', en: 'Distribution log' },
  },
  defaultSort: '-at',
  admin: {
    useAsTitle: 'kind',
    defaultColumns: ['at', 'partner', 'kind', 'format', 'status', 'itemCount', 'ip'],
    group: { zh: '分发', en: 'Distribution' },
  },
  access: { read: isDeskOrAdmin, create: nobody, update: nobody, delete: nobody },
  fields: [
    {
      name: 'partner',
      type: 'relationship',
      relationTo: collectionSlugs.partners,
      required: true,
      index: true,
      label: { zh: '合作媒体', en: 'Partner' },
    },
    {
      name: 'kind',
      type: 'select',
      required: true,
      index: true,
      options: [
        { value: 'pull', label: { zh: '拉取', en: 'Pull' } },
        { value: 'webhook', label: { zh: '推送', en: 'Webhook' } },
      ],
      label: { zh: '类型', en: 'Kind' },
    },
    { name: 'at', type: 'date', required: true, index: true, label: { zh: '时间', en: 'At' } },
    { name: 'format', type: 'text', label: { zh: '格式', en: 'Format' } },
    { name: 'status', type: 'number', label: { zh: '状态码', en: 'Status' } },
    { name: 'itemCount', type: 'number', label: { zh: '条数', en: 'Items' } },
    { name: 'items', type: 'json', label: { zh: '稿件与版本', en: 'Items and versions' } },
    { name: 'ip', type: 'text', label: { zh: '来源 IP', en: 'Client IP' } },
    { name: 'detail', type: 'text', label: { zh: '说明', en: 'Detail' } },
  ],
}
