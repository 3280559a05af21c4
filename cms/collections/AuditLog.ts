import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, nobody } from '../access/roles.ts'
import { auditActions } from '../hooks/audit.ts'
import { collectionSlugs } from '../slugs.ts'

/** Append-only: written by hooks with the server's authority, never through the API. */
export const AuditLog: CollectionConfig = {
  slug: collectionSlugs.auditLog,
  labels: {
    singular: { zh: '操作记录', en: 'Audit entry' },
    plural: { zh: '操作记录', en: 'Audit log' },
  },
  defaultSort: '-at',
  admin: {
    useAsTitle: 'action',
    defaultColumns: ['at', 'action', 'collection', 'docId', 'user'],
    group: { zh: '系统', en: 'System' },
  },
  access: { read: isDeskOrAdmin, create: nobody, update: nobody, delete: nobody },
  fields: [
    {
      name: 'action',
      type: 'select',
      required: true,
      index: true,
      options: [...auditActions],
      label: { zh: '操作', en: 'Action' },
    },
    {
      name: 'collection',
      type: 'text',
      required: true,
      index: true,
      label: { zh: '集合', en: 'Collection' },
    },
    { name: 'docId', type: 'text', required: true, index: true, label: { zh: '文档', en: 'Document' } },
    { name: 'versionId', type: 'text', label: { zh: '版本', en: 'Version' } },
    {
      name: 'user',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      label: { zh: '操作人', en: 'User' },
    },
    { name: 'at', type: 'date', required: true, index: true, label: { zh: '时间', en: 'At' } },
    { name: 'detail', type: 'json', label: { zh: '详情', en: 'Detail' } },
  ],
}
