import { createHash } from 'node:crypto'

/**
 * The fields a reviewer signs for: what readers read on every outlet (the text, the WeChat
 * edition's title, author and digest, the hero image, the byline, source and dateline) and the
 * section, whose review levels the signatures answer to.
 */
export const reviewedFields = [
  'kicker',
  'title',
  'subtitle',
  'summary',
  'body',
  'wechat',
  'heroImage',
  'byline',
  'source',
  'dateline',
  'section',
] as const

/**
 * A fingerprint of what a reviewer read: the reviewed fields as canonical JSON (keys sorted,
 * so the same text saved twice by the admin's autosave gives the same fingerprint).
 */
export function contentFingerprint(story: Partial<Record<(typeof reviewedFields)[number], unknown>>): string {
  const content = Object.fromEntries(reviewedFields.map((field) => [field, idOf(story[field] ?? null)]))
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32)
}

/** A relationship read populated (an object with an id) or not (the id) fingerprints the same. */
function idOf(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'id' in value && 'createdAt' in value) {
    return (value as { id: unknown }).id
  }
  return value
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}
