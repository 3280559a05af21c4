import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, nobody } from '../access/roles.ts'
import { collectionSlugs } from '../slugs.ts'

/**
 * One row per archive the worker's backup schedule wrote and checked (or failed to write):
 * the record the admin's backup banner reads, and the alarm a failed one raises. Written by
 * the worker only; editors and admins read it.
 */
export const BackupRuns: CollectionConfig = {
  slug: collectionSlugs.backupRuns,
  labels: {
    singular: { zh: '备份记录', en: 'Backup run' },
    plural: { zh: '备份记录', en: 'Backup runs' },
  },
  defaultSort: '-madeAt',
  admin: {
    useAsTitle: 'archive',
    defaultColumns: ['madeAt', 'archive', 'status', 'bytes', 'checkedAt'],
    group: { zh: '系统', en: 'System' },
  },
  access: { read: isDeskOrAdmin, create: nobody, update: nobody, delete: nobody },
  fields: [
    {
      name: 'archive',
      type: 'text',
      required: true,
      unique: true,
      label: { zh: '备份文件', en: 'Archive' },
    },
    { name: 'madeAt', type: 'date', required: true, index: true, label: { zh: '备份时间', en: 'Made at' } },
    {
      name: 'status',
      type: 'select',
      required: true,
      index: true,
      options: [
        { value: 'verified', label: { zh: '已验证', en: 'Verified' } },
        { value: 'failed', label: { zh: '验证失败', en: 'Verification failed' } },
        { value: 'not-written', label: { zh: '备份失败', en: 'Backup failed' } },
      ],
      // the archive restored and matched; it did not; or no archive was written at all
      label: { zh: '结果', en: 'Result' },
    },
    { name: 'checkedAt', type: 'date', label: { zh: '验证时间', en: 'Checked at' } },
    { name: 'bytes', type: 'number', label: { zh: '大小（字节）', en: 'Size (bytes)' } },
    { name: 'format', type: 'text', label: { zh: '格式', en: 'Format' } },
    { name: 'tables', type: 'number', label: { zh: '表', en: 'Tables' } },
    { name: 'rows', type: 'number', label: { zh: '行', en: 'Rows' } },
    { name: 'reason', type: 'textarea', label: { zh: '失败原因', en: 'Why it failed' } },
    { name: 'note', type: 'text', label: { zh: '说明', en: 'Note' } },
    { name: 'worker', type: 'text', label: { zh: '执行进程', en: 'Worker' } },
  ],
}
