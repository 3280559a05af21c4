import type { CollectionConfig } from 'payload'
import { isDeskOrAdmin, nobody } from '../access/roles.ts'
import { collectionSlugs } from '../slugs.ts'

/**
 * Images already uploaded to the WeChat account, by account, purpose and content hash: a push
 * that failed half-way reuses them on retry instead of uploading them twice.
 */
export const WechatAssets: CollectionConfig = {
  slug: collectionSlugs.wechatAssets,
  labels: {
    singular: { zh: '公众号图片素材', en: 'WeChat image' },
    plural: { zh: '公众号图片素材', en: 'WeChat images' },
  },
  admin: {
    useAsTitle: 'key',
    defaultColumns: ['key', 'purpose', 'url', 'createdAt'],
    group: { zh: '公众号', en: 'WeChat' },
  },
  access: { read: isDeskOrAdmin, create: nobody, update: nobody, delete: nobody },
  fields: [
    {
      name: 'key',
      type: 'text',
      required: true,
      unique: true,
      label: { zh: '键（AppID:用途:SHA-256）', en: 'Key (appId:purpose:sha256)' },
    },
    { name: 'appId', type: 'text', required: true, label: { zh: '公众号 AppID', en: 'AppID' } },
    {
      name: 'purpose',
      type: 'select',
      required: true,
      options: [
        { value: 'body', label: { zh: '正文图片', en: 'Body image' } },
        { value: 'cover', label: { zh: '封面（永久素材）', en: 'Cover (permanent)' } },
      ],
      label: { zh: '用途', en: 'Purpose' },
    },
    {
      // Not `media`: its column would be media_id, which the WeChat mediaId below also is.
      name: 'image',
      type: 'relationship',
      relationTo: collectionSlugs.media,
      label: { zh: '图片', en: 'Media' },
    },
    { name: 'url', type: 'text', label: { zh: '微信图片地址', en: 'WeChat URL' } },
    { name: 'mediaId', type: 'text', label: { zh: '永久素材 media_id', en: 'Permanent media_id' } },
  ],
}
