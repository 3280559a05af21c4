import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, isLoggedIn } from '../access/roles.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { collectionSlugs } from '../slugs.ts'

/** A weekly TV programme the media centre fills from the kitchen (e.g. 劳动者 on the city station). */
export const TvProgrammes: CollectionConfig = {
  slug: collectionSlugs.tvProgrammes,
  labels: {
    singular: { zh: '电视节目', en: 'TV programme' },
    plural: { zh: '电视节目', en: 'TV programmes' },
  },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'station', 'segmentBudgetSeconds', 'pace'],
    group: { zh: '电视', en: 'TV' },
  },
  access: { read: isLoggedIn, create: isDeskOrAdmin, update: isDeskOrAdmin, delete: isDeskOrAdmin },
  hooks: { afterChange: [auditChange], afterDelete: [auditDelete] },
  fields: [
    { name: 'name', type: 'text', required: true, unique: true, label: { zh: '节目名', en: 'Name' } },
    {
      name: 'slug',
      type: 'text',
      required: true,
      unique: true,
      label: { zh: '英文标识', en: 'Slug' },
      admin: { description: { zh: '用于导出文件名，如 laodongzhe', en: 'Used in export file names' } },
      validate: (value: string | null | undefined) =>
        (value && /^[a-z0-9-]+$/.test(value)) ||
        '只能用小写字母、数字和连字符 / Lower-case letters, digits and hyphens only',
    },
    { name: 'station', type: 'text', label: { zh: '播出频道', en: 'Station' } },
    {
      name: 'weeklySlot',
      type: 'group',
      label: { zh: '每周播出时段', en: 'Weekly slot' },
      fields: [
        {
          name: 'weekday',
          type: 'select',
          label: { zh: '星期', en: 'Weekday' },
          options: ['一', '二', '三', '四', '五', '六', '日'].map((day, index) => ({
            value: String(index + 1),
            label: { zh: `星期${day}`, en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][index] ?? '' },
          })),
        },
        {
          name: 'time',
          type: 'text',
          label: { zh: '开播时间（北京时间）', en: 'Time (Beijing)' },
          validate: (value: string | null | undefined) =>
            !value || /^([01]\d|2[0-3]):[0-5]\d$/.test(value) || '请按 19:30 的格式填写 / Use the form 19:30',
        },
      ],
    },
    {
      name: 'segmentBudgetSeconds',
      type: 'number',
      required: true,
      min: 10,
      max: 3600,
      defaultValue: 300,
      label: { zh: '每条时长预算（秒）', en: 'Segment budget (seconds)' },
    },
    {
      name: 'pace',
      type: 'number',
      required: true,
      min: 60,
      max: 600,
      defaultValue: 240,
      label: { zh: '解说语速（字/分钟）', en: 'Narration pace (characters/minute)' },
    },
    {
      name: 'subtitleLineLength',
      type: 'number',
      required: true,
      min: 6,
      max: 40,
      defaultValue: 16,
      label: { zh: '字幕每行字数', en: 'Subtitle line length' },
    },
  ],
}
