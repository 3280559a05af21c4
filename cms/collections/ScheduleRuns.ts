import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, nobody } from '../access/roles.ts'
import { notifyScheduleRun } from '../hooks/notifyScheduleRun.ts'
import { collectionSlugs } from '../slugs.ts'

/**
 * One row per fired schedule: the claim that makes a schedule run once however many
 * workers pick up its job (the job id is unique), and the record editors read to see
 * what fired, when, and how late.
 */
export const ScheduleRuns: CollectionConfig = {
  slug: collectionSlugs.scheduleRuns,
  labels: {
    singular: { zh: '定时任务记录', en: 'Schedule run' },
    plural: { zh: '定时任务记录', en: 'Schedule runs' },
  },
  defaultSort: '-dueAt',
  admin: {
    useAsTitle: 'jobId',
    defaultColumns: ['dueAt', 'action', 'story', 'status', 'isLate', 'lateBySeconds'],
    group: { zh: '系统', en: 'System' },
  },
  access: { read: isDeskOrAdmin, create: nobody, update: nobody, delete: nobody },
  // A run that fired late or did nothing reaches the story's author and its scheduler.
  hooks: { afterChange: [notifyScheduleRun] },
  fields: [
    { name: 'jobId', type: 'text', required: true, unique: true, label: { zh: '任务', en: 'Job' } },
    {
      name: 'story',
      type: 'relationship',
      relationTo: collectionSlugs.stories,
      label: { zh: '稿件', en: 'Story' },
    },
    {
      name: 'action',
      type: 'select',
      required: true,
      options: ['publish', 'unpublish'],
      label: { zh: '动作', en: 'Action' },
    },
    { name: 'dueAt', type: 'date', required: true, label: { zh: '预定时间', en: 'Due at' } },
    {
      name: 'status',
      type: 'select',
      required: true,
      options: ['claimed', 'done', 'skipped'],
      label: { zh: '状态', en: 'Status' },
    },
    { name: 'claimedAt', type: 'date', label: { zh: '领取时间', en: 'Claimed at' } },
    { name: 'firedAt', type: 'date', label: { zh: '执行时间', en: 'Fired at' } },
    { name: 'isLate', type: 'checkbox', label: { zh: '迟发', en: 'Late' } },
    { name: 'lateBySeconds', type: 'number', label: { zh: '迟发秒数', en: 'Late by (s)' } },
    { name: 'note', type: 'text', label: { zh: '说明', en: 'Note' } },
  ],
}
