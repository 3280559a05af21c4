import {
  type CollectionBeforeValidateHook,
  type CollectionConfig,
  type Field,
  type TextareaField,
  type TextField,
  ValidationError,
} from 'payload'
import { stripControlCharacters } from '../channels/html.ts'

/** Longest single-line text (titles, names, bylines) an editor can mean to write. */
export const DEFAULT_TEXT_MAX_LENGTH = 500
/** Longest multi-line plain text (summaries, notes, captions). */
export const DEFAULT_TEXTAREA_MAX_LENGTH = 20_000
/** Largest rich-text value, as JSON: a 6,000-字 story with its formatting is about 100 KB. */
export const MAX_RICH_TEXT_BYTES = 2 * 1024 * 1024

/** A string safe to store and to put into any channel: the plate's own rule (see html.ts). */
export const cleanString = stripControlCharacters

function cleanValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanString(value)
  if (depth > 64 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => cleanValue(item, depth + 1))
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  const cleaned: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    // A password is hashed, never shown: cleaning it would silently change what the editor typed.
    cleaned[cleanString(key)] = key === 'password' ? item : cleanValue(item, depth + 1)
  }
  return cleaned
}

/** Every string in incoming data, rich text included, is cleaned before Payload validates it. */
export const cleanIncomingData: CollectionBeforeValidateHook = ({ data }) =>
  data ? (cleanValue(data, 0) as typeof data) : data

function withLengthLimits(fields: Field[]): Field[] {
  return fields.map((field) => {
    if (field.type === 'text' && (field as TextField).maxLength === undefined)
      return { ...field, maxLength: DEFAULT_TEXT_MAX_LENGTH } as TextField
    if (field.type === 'textarea' && (field as TextareaField).maxLength === undefined)
      return { ...field, maxLength: DEFAULT_TEXTAREA_MAX_LENGTH } as TextareaField
    if ('fields' in field && Array.isArray(field.fields))
      return { ...field, fields: withLengthLimits(field.fields) } as Field
    if (field.type === 'tabs')
      return { ...field, tabs: field.tabs.map((tab) => ({ ...tab, fields: withLengthLimits(tab.fields) })) }
    if (field.type === 'blocks')
      return {
        ...field,
        blocks: field.blocks.map((block) => ({ ...block, fields: withLengthLimits(block.fields) })),
      }
    return field
  })
}

function refuseOversizedRichText(fields: Field[]): CollectionBeforeValidateHook {
  const names = fields.flatMap((field) => (field.type === 'richText' ? [field.name] : []))
  return ({ collection, data }) => {
    for (const name of names) {
      const value = data?.[name]
      if (value === undefined || value === null) continue
      const bytes = Buffer.byteLength(JSON.stringify(value))
      if (bytes > MAX_RICH_TEXT_BYTES) {
        throw new ValidationError({
          collection: collection.slug,
          errors: [
            {
              path: name,
              message: `正文过长（${Math.round(bytes / 1024)} KB，上限 ${MAX_RICH_TEXT_BYTES / 1024 / 1024} MB）/ The text is too long`,
            },
          ],
        })
      }
    }
    return data
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What a value of this field type must be, in words an editor or API client understands. */
function typeProblem(field: Field, value: unknown): string | null {
  if (value === undefined || value === null) return null
  const many = 'hasMany' in field && field.hasMany === true
  const each = (check: (item: unknown) => boolean) =>
    many ? Array.isArray(value) && value.every(check) : check(value)
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'code':
      return each((item) => typeof item === 'string') ? null : '应为文字 / must be text'
    case 'number':
      return each((item) => typeof item === 'number' && Number.isFinite(item))
        ? null
        : '应为数字 / must be a number'
    case 'checkbox':
      return typeof value === 'boolean' ? null : '应为是或否 / must be true or false'
    case 'richText':
      return isPlainObject(value) && isPlainObject(value.root)
        ? null
        : '应为富文本 / must be a rich-text document'
    case 'date':
      return typeof value === 'string' || value instanceof Date ? null : '应为日期 / must be a date'
    default:
      return null
  }
}

function wrongTypes(
  fields: Field[],
  data: Record<string, unknown>,
  prefix: string,
): { path: string; message: string }[] {
  return fields.flatMap((field) => {
    if (!('name' in field)) {
      if ('fields' in field && Array.isArray(field.fields)) return wrongTypes(field.fields, data, prefix)
      if (field.type === 'tabs')
        return field.tabs.flatMap((tab) =>
          'name' in tab && tab.name
            ? isPlainObject(data[tab.name])
              ? wrongTypes(tab.fields, data[tab.name] as Record<string, unknown>, `${prefix}${tab.name}.`)
              : []
            : wrongTypes(tab.fields, data, prefix),
        )
      return []
    }
    const value = data[field.name]
    const path = `${prefix}${field.name}`
    if (field.type === 'group' && 'fields' in field) {
      if (value === undefined || value === null) return []
      return isPlainObject(value)
        ? wrongTypes(field.fields, value, `${path}.`)
        : [{ path, message: '应为一组字段 / must be an object' }]
    }
    if (field.type === 'array') {
      if (value === undefined || value === null) return []
      if (!Array.isArray(value)) return [{ path, message: '应为列表 / must be a list' }]
      return value.flatMap((row, index) =>
        isPlainObject(row)
          ? wrongTypes(field.fields, row, `${path}.${index}.`)
          : [{ path: `${path}.${index}`, message: '应为一组字段 / must be an object' }],
      )
    }
    const message = typeProblem(field, value)
    return message ? [{ path, message }] : []
  })
}

/**
 * A value of the wrong type (a number or an object for a title, a string for rich text) is
 * refused with an error on its field: Payload would otherwise turn it into text.
 */
function refuseWrongTypes(fields: Field[]): CollectionBeforeValidateHook {
  return ({ collection, data }) => {
    if (!data) return data
    const errors = wrongTypes(fields, data, '')
    if (errors.length > 0) throw new ValidationError({ collection: collection.slug, errors })
    return data
  }
}

/**
 * Hostile-input defaults for a collection: every text and textarea field gets a length limit
 * unless it names its own, every string is cleaned (NUL and other control characters removed,
 * broken surrogates replaced), a value of the wrong type is refused on its field, and a
 * top-level rich-text value over 2 MB is refused.
 */
export function hardenCollection(collection: CollectionConfig): CollectionConfig {
  return {
    ...collection,
    fields: withLengthLimits(collection.fields),
    hooks: {
      ...collection.hooks,
      beforeValidate: [
        cleanIncomingData,
        refuseWrongTypes(collection.fields),
        refuseOversizedRichText(collection.fields),
        ...(collection.hooks?.beforeValidate ?? []),
      ],
    },
  }
}
