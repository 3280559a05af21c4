import type { CollectionConfig } from 'payload'
import { editorsOrOwner, isLoggedIn, staffOrPublicPlate } from '../../access/roles.ts'
import { createdByField } from '../../fields/createdBy.ts'
import { auditChange, auditDelete } from '../../hooks/audit.ts'
import { rebuildSiteAfterDelete, rebuildSiteAfterMediaChange } from '../../hooks/rebuildSite.ts'
import { stampCreator } from '../../hooks/stampCreator.ts'
import { mediaDir } from '../../paths.ts'
import { collectionSlugs } from '../../slugs.ts'
import { makeRenditions, writeRenditions } from './hooks/renditions.ts'
import { guardImageUpload, safeMediaHeaders } from './hooks/uploadGuard.ts'
import {
  rememberUploadTempFile,
  removeUploadTempFile,
  removeUploadTempFileAfterError,
} from './hooks/uploadTempFile.ts'

/** The image formats editors may upload; anything else is refused with a 400. */
export const acceptedImageTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/gif']

/** Renditions every outlet picks from: widths for srcset, a fixed crop for social cards. */
export const renditions = {
  thumbnail: { width: 320 },
  card: { width: 768 },
  hero: { width: 1600 },
  og: { width: 1200, height: 630 },
} as const

/**
 * Encoder effort is CPU, not quality: at the same quality setting, WebP effort 2 (of 0–6, default
 * 4) takes half the time of 4 for files about 5 % larger, and AVIF effort 0 (of 0–9) a sixth of
 * effort 2's for about 8 % larger, with the same SSIM. AVIF subsamples chroma as WebP and the
 * camera JPEGs do (4:2:0): full-resolution chroma (sharp's default 4:4:4) costs time and bytes
 * for colour the source never had.
 */
const webp = { format: 'webp', options: { quality: 80, effort: 2 } } as const
const avif = { format: 'avif', options: { quality: 55, effort: 0, chromaSubsampling: '4:2:0' } } as const

export const Media: CollectionConfig = {
  slug: collectionSlugs.media,
  labels: {
    singular: { zh: '图片', en: 'Image' },
    plural: { zh: '图片', en: 'Images' },
  },
  admin: {
    useAsTitle: 'alt',
    defaultColumns: ['filename', 'alt', 'credit'],
    group: { zh: '内容', en: 'Content' },
  },
  access: {
    read: staffOrPublicPlate,
    create: isLoggedIn,
    update: editorsOrOwner,
    delete: editorsOrOwner,
  },
  upload: {
    staticDir: mediaDir,
    mimeTypes: acceptedImageTypes,
    focalPoint: true,
    crop: true,
    adminThumbnail: 'thumbnail',
    modifyResponseHeaders: safeMediaHeaders,
    imageSizes: [
      { name: 'thumbnail', ...renditions.thumbnail, formatOptions: webp },
      { name: 'card', ...renditions.card, formatOptions: webp },
      { name: 'hero', ...renditions.hero, formatOptions: webp },
      { name: 'heroAvif', ...renditions.hero, formatOptions: avif },
      { name: 'og', ...renditions.og, position: 'centre', formatOptions: webp },
    ],
  },
  hooks: {
    beforeOperation: [rememberUploadTempFile, guardImageUpload],
    afterOperation: [removeUploadTempFile],
    afterError: [removeUploadTempFileAfterError],
    // New still images: renditions from one decode (hooks/renditions.ts, which the guard starts).
    beforeChange: [stampCreator, makeRenditions],
    afterChange: [writeRenditions, auditChange, rebuildSiteAfterMediaChange],
    afterDelete: [auditDelete, rebuildSiteAfterDelete],
  },
  fields: [
    {
      name: 'alt',
      type: 'text',
      required: true,
      label: { zh: '替代文字', en: 'Alt text' },
      admin: {
        description: {
          zh: '为视障读者描述图片内容',
          en: 'Describe the image for readers who cannot see it',
        },
      },
    },
    { name: 'caption', type: 'textarea', label: { zh: '图说', en: 'Caption' } },
    { name: 'credit', type: 'text', label: { zh: '摄影 / 来源', en: 'Credit' } },
    {
      name: 'portrait',
      type: 'group',
      label: { zh: '肖像授权', en: 'Portrait consent' },
      admin: {
        description: {
          zh: '图中有可辨认的人物时，须有肖像授权记录方可发稿',
          en: 'A picture of recognisable people needs a consent record before it goes out',
        },
      },
      fields: [
        {
          name: 'showsPeople',
          type: 'checkbox',
          defaultValue: false,
          label: { zh: '含可辨认的人物肖像', en: 'Shows recognisable people' },
        },
        {
          name: 'consentRecord',
          type: 'text',
          label: { zh: '授权记录', en: 'Consent record' },
          admin: {
            condition: (data) => Boolean(data?.portrait?.showsPeople),
            description: {
              zh: '如：2026-11-03 本人签字授权书，存档号 SQ-0412',
              en: 'e.g. signed release, file no.',
            },
          },
        },
        {
          name: 'consentExpiresAt',
          type: 'date',
          label: { zh: '授权到期', en: 'Consent expires' },
          admin: {
            condition: (data) => Boolean(data?.portrait?.showsPeople),
            date: { pickerAppearance: 'dayOnly' },
          },
        },
      ],
    },
    createdByField,
  ],
}
