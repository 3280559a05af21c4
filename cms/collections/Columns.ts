import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, isLoggedIn } from '../access/roles.ts'
import { defaultHouseStyles } from '../channels/print/houseStyles.ts'
import { auditChange, auditDelete } from '../hooks/audit.ts'
import { collectionSlugs } from '../slugs.ts'

const characterStyles = new Set(['bold', 'italic', 'link'])

/** A style's label in the admin: its default name, marked when it is a character style. */
const styleLabel = (name: keyof typeof defaultHouseStyles) =>
  `${defaultHouseStyles[name]}${characterStyles.has(name) ? '（字符样式）' : ''}`

/** A newspaper column the media centre fills from the kitchen (e.g. 劳动者之窗 in the city daily). */
export const Columns: CollectionConfig = {
  slug: collectionSlugs.columns,
  labels: { singular: { zh: '报纸专栏', en: 'Column' }, plural: { zh: '报纸专栏', en: 'Columns' } },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'newspaper', 'frequency'],
    group: { zh: '报纸', en: 'Print' },
  },
  access: { read: isLoggedIn, create: isDeskOrAdmin, update: isDeskOrAdmin, delete: isDeskOrAdmin },
  hooks: { afterChange: [auditChange], afterDelete: [auditDelete] },
  fields: [
    { name: 'name', type: 'text', required: true, unique: true, label: { zh: '栏目名', en: 'Name' } },
    {
      name: 'slug',
      type: 'text',
      required: true,
      unique: true,
      label: { zh: '英文标识', en: 'Slug' },
      admin: {
        description: { zh: '用于导出文件名，如 laodongzhe-zhichuang', en: 'Used in export file names' },
      },
      validate: (value: string | null | undefined) =>
        (value && /^[a-z0-9-]+$/.test(value)) ||
        '只能用小写字母、数字和连字符 / Lower-case letters, digits and hyphens only',
    },
    { name: 'newspaper', type: 'text', required: true, label: { zh: '刊登报纸', en: 'Newspaper' } },
    {
      name: 'frequency',
      type: 'select',
      required: true,
      defaultValue: 'monthly',
      options: [
        { value: 'weekly', label: { zh: '每周', en: 'Weekly' } },
        { value: 'monthly', label: { zh: '每月', en: 'Monthly' } },
        { value: 'irregular', label: { zh: '不定期', en: 'Irregular' } },
      ],
      label: { zh: '刊期', en: 'Frequency' },
    },
    {
      name: 'geometry',
      type: 'group',
      label: { zh: '版面规格', en: 'Page geometry' },
      admin: {
        description: {
          zh: '填每行字数、每栏行数和栏数，即按版面算每篇容量；或只填每篇字数预算',
          en: 'Characters per line × lines per column × columns, or a plain budget per slot',
        },
      },
      fields: [
        {
          name: 'charactersPerLine',
          type: 'number',
          min: 1,
          label: { zh: '每行字数', en: 'Characters per line' },
        },
        { name: 'linesPerColumn', type: 'number', min: 1, label: { zh: '每栏行数', en: 'Lines per column' } },
        { name: 'columns', type: 'number', min: 1, label: { zh: '栏数', en: 'Columns' } },
        { name: 'slotBudget', type: 'number', min: 1, label: { zh: '每篇字数预算', en: 'Budget per slot' } },
        {
          name: 'imageWidthMm',
          type: 'number',
          min: 10,
          max: 400,
          defaultValue: 80,
          required: true,
          label: { zh: '图片宽度（毫米）', en: 'Image width (mm)' },
        },
        {
          name: 'colourMode',
          type: 'select',
          required: true,
          defaultValue: 'grayscale',
          options: [
            { value: 'grayscale', label: { zh: '灰度', en: 'Grayscale' } },
            { value: 'cmyk', label: { zh: 'CMYK 彩色', en: 'CMYK' } },
          ],
          label: { zh: '印刷色彩', en: 'Colour' },
        },
      ],
    },
    {
      name: 'styles',
      type: 'group',
      label: { zh: '样式名（InDesign）', en: 'House style names (InDesign)' },
      fields: Object.entries(defaultHouseStyles).map(([name, value]) => ({
        name,
        type: 'text' as const,
        required: true,
        defaultValue: value,
        label: styleLabel(name as keyof typeof defaultHouseStyles),
      })),
    },
  ],
}
