import type { CollectionConfig } from 'payload'
import { isAdmin, isDeskOrAdmin } from '../../access/roles.ts'
import { auditChange, auditDelete } from '../../hooks/audit.ts'
import { partnerFormats } from '../../publishing/partnerFeed/formats.ts'
import { collectionSlugs } from '../../slugs.ts'
import { partnerKeyEndpoints } from './keyEndpoints.ts'
import { manageKeyFromAdmin, showNewKeyOnce } from './keyHooks.ts'

// Written by the key hooks and endpoints; admins alone may write them at all.
const staffReadAdminWrite = { read: isDeskOrAdmin, update: isAdmin, create: isAdmin }
const secret = { read: () => false, update: isAdmin, create: isAdmin }

/**
 * Partner media that pull Hongyan's stories. Admins manage them; each has one key, stored
 * only as a hash and shown once when issued (`POST /api/partners/:id/key`, or 生成新密钥 in
 * the admin); revoking takes effect on the next request.
 */
export const Partners: CollectionConfig = {
  slug: collectionSlugs.partners,
  labels: { singular: { zh: '合作媒体', en: 'Partner' }, plural: { zh: '合作媒体', en: 'Partners' } },
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'active', 'expiresAt', 'keyPrefix', 'earlyRelease'],
    group: { zh: '分发', en: 'Distribution' },
  },
  access: { read: isDeskOrAdmin, create: isAdmin, update: isAdmin, delete: isAdmin },
  endpoints: partnerKeyEndpoints,
  hooks: {
    beforeChange: [manageKeyFromAdmin],
    afterRead: [showNewKeyOnce],
    afterChange: [auditChange],
    afterDelete: [auditDelete],
  },
  fields: [
    { name: 'name', type: 'text', required: true, unique: true, label: { zh: '名称', en: 'Name' } },
    {
      name: 'contact',
      type: 'group',
      label: { zh: '联系人', en: 'Contact' },
      fields: [
        { name: 'person', type: 'text', label: { zh: '姓名', en: 'Name' } },
        { name: 'email', type: 'email', label: { zh: '邮箱', en: 'E-mail' } },
        { name: 'phone', type: 'text', label: { zh: '电话', en: 'Phone' } },
      ],
    },
    { name: 'active', type: 'checkbox', defaultValue: true, label: { zh: '启用', en: 'Active' } },
    {
      name: 'expiresAt',
      type: 'date',
      label: { zh: '协议到期', en: 'Agreement expires' },
      admin: { date: { pickerAppearance: 'dayAndTime' } },
    },
    {
      name: 'allowedSections',
      type: 'relationship',
      relationTo: collectionSlugs.sections,
      hasMany: true,
      label: { zh: '授权栏目', en: 'Sections licensed' },
      admin: { description: { zh: '不选即全部栏目', en: 'None chosen: every section' } },
    },
    {
      name: 'allowedFormats',
      type: 'select',
      hasMany: true,
      required: true,
      defaultValue: ['rss', 'json', 'ninjs'],
      options: partnerFormats.map((format) => ({ ...format })),
      label: { zh: '授权格式', en: 'Formats' },
    },
    {
      name: 'earlyRelease',
      type: 'checkbox',
      defaultValue: false,
      label: { zh: '可提前获取禁发稿件', en: 'Receives embargoed stories early' },
      admin: {
        description: {
          zh: '禁发稿件在 ninjs 中以 embargoed 时间标出，合作方须遵守',
          en: 'Embargoed stories come flagged with their embargo time in ninjs',
        },
      },
    },
    {
      name: 'rateLimitPerMinute',
      type: 'number',
      required: true,
      defaultValue: 60,
      min: 1,
      max: 100_000,
      label: { zh: '每分钟请求上限', en: 'Requests per minute' },
    },
    {
      name: 'webhookUrl',
      type: 'text',
      label: { zh: '推送地址（Webhook）', en: 'Webhook URL' },
      validate: (value: string | null | undefined) =>
        !value ||
        /^https?:\/\/[^\s]+$/.test(value) ||
        '请填写以 http:// 或 https:// 开头的地址 / Must be an http(s) URL',
    },
    {
      type: 'collapsible',
      label: { zh: '密钥', en: 'Key' },
      fields: [
        {
          name: 'keyPrefix',
          type: 'text',
          label: { zh: '密钥前缀', en: 'Key prefix' },
          access: staffReadAdminWrite,
          admin: { readOnly: true },
        },
        {
          name: 'keyIssuedAt',
          type: 'date',
          label: { zh: '签发时间', en: 'Issued' },
          access: staffReadAdminWrite,
          admin: { readOnly: true },
        },
        {
          name: 'keyRevokedAt',
          type: 'date',
          label: { zh: '吊销时间', en: 'Revoked' },
          access: staffReadAdminWrite,
          admin: { readOnly: true },
        },
        { name: 'keyHash', type: 'text', index: true, hidden: true, access: secret },
        { name: 'webhookSecret', type: 'text', hidden: true, access: secret },
        {
          name: 'keyAction',
          type: 'radio',
          virtual: true,
          label: { zh: '密钥操作（保存时执行）', en: 'Key action (on save)' },
          options: [
            {
              value: 'issue',
              label: {
                zh: '生成新密钥（旧密钥立即失效）',
                en: 'Issue a new key (the old one stops working)',
              },
            },
            { value: 'revoke', label: { zh: '立即吊销', en: 'Revoke now' } },
          ],
        },
        {
          name: 'newKey',
          type: 'text',
          virtual: true,
          label: { zh: '新密钥（仅显示这一次）', en: 'New key (shown only this once)' },
          admin: { readOnly: true, condition: (data) => Boolean(data?.newKey) },
        },
      ],
    },
    {
      name: 'pulls',
      type: 'number',
      virtual: true,
      label: { zh: '拉取次数', en: 'Pulls' },
      admin: { readOnly: true },
      hooks: {
        afterRead: [
          async ({ data, req }) => {
            if (!data?.id) return 0
            const { totalDocs } = await req.payload.count({
              collection: collectionSlugs.partnerLog,
              where: { and: [{ partner: { equals: data.id } }, { kind: { equals: 'pull' } }] },
              req,
            })
            return totalDocs
          },
        ],
      },
    },
  ],
}
