import type { FieldHook, TextField } from 'payload'
import { pinyinSlug, uniqueSlug } from '../lib/pinyinSlug.ts'

/**
 * A URL slug made from `useAsSlug` as pinyin (Payload's own slugify drops Chinese
 * entirely), editable by editors, normalised to lower-case ASCII and made unique with a
 * numeric suffix. Computed before validation; the unique index still guards against
 * concurrent saves.
 */
export function pinyinSlugField({ useAsSlug }: { useAsSlug: string }): TextField {
  const fillSlug: FieldHook = async ({ value, data, collection, originalDoc, req }) => {
    const source: unknown = value || data?.[useAsSlug] || originalDoc?.[useAsSlug]
    const base = typeof source === 'string' ? pinyinSlug(source) : ''
    if (!base || !collection) return base || undefined
    const ownId = originalDoc?.id as number | string | undefined
    return uniqueSlug({
      base,
      isTaken: async (candidate) => {
        const { totalDocs } = await req.payload.count({
          collection: collection.slug,
          where: {
            and: [{ slug: { equals: candidate } }, ...(ownId ? [{ id: { not_equals: ownId } }] : [])],
          },
          overrideAccess: true,
          req,
        })
        return totalDocs > 0
      },
    })
  }

  return {
    name: 'slug',
    type: 'text',
    // Not `required`: the hook always fills it from a required source field, so editors
    // and API clients never have to send one.
    unique: true,
    index: true,
    label: { zh: '网址别名', en: 'Slug' },
    admin: {
      position: 'sidebar',
      description: {
        zh: '留空则由标题自动生成拼音；可修改，只保留小写字母、数字和连字符',
        en: 'Left empty, it is made from the title as pinyin; editable; lower-case letters, digits and hyphens',
      },
    },
    hooks: { beforeValidate: [fillSlug] },
  }
}
