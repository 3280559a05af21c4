import type { CollectionConfig } from 'payload'
import { isLoggedIn, nobody } from '../../access/roles.ts'
import { collectionSlugs } from '../../slugs.ts'
import { revokeEndpoints } from './revokeEndpoints.ts'

/**
 * Share links (预览链接) to one story's web preview for a reviewer without an account: only
 * the token's hash is kept; each link expires, and may be revoked before then (revokeEndpoints).
 * Written only by the preview's endpoints (see cms/publishing/preview/shareLinks.ts).
 */
export const PreviewLinks: CollectionConfig = {
  slug: collectionSlugs.previewLinks,
  labels: {
    singular: { zh: '预览链接', en: 'Preview link' },
    plural: { zh: '预览链接', en: 'Preview links' },
  },
  admin: {
    useAsTitle: 'tokenHash',
    defaultColumns: ['story', 'expiresAt', 'revokedAt', 'createdBy'],
    group: { zh: '内容', en: 'Content' },
    hidden: true,
  },
  access: { read: isLoggedIn, create: nobody, update: nobody, delete: nobody },
  endpoints: revokeEndpoints,
  fields: [
    {
      name: 'story',
      type: 'relationship',
      relationTo: collectionSlugs.stories,
      required: true,
      index: true,
      label: { zh: '稿件', en: 'Story' },
    },
    {
      name: 'tokenHash',
      type: 'text',
      required: true,
      unique: true,
      label: { zh: '令牌摘要', en: 'Token hash' },
    },
    { name: 'expiresAt', type: 'date', required: true, label: { zh: '到期时间', en: 'Expires at' } },
    { name: 'revokedAt', type: 'date', label: { zh: '撤销时间', en: 'Revoked at' } },
    {
      name: 'createdBy',
      type: 'relationship',
      relationTo: collectionSlugs.users,
      label: { zh: '创建人', en: 'Created by' },
    },
  ],
}
