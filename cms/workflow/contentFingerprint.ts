import { createHash } from 'node:crypto'

/** The fields a reviewer signs for: what readers read. */
export const reviewedFields = ['kicker', 'title', 'subtitle', 'summary', 'body'] as const

/**
 * A fingerprint of what a reviewer read: the reviewed fields as canonical JSON (keys sorted,
 * so the same text saved twice by the admin's autosave gives the same fingerprint).
 */
export function contentFingerprint(story: Partial<Record<(typeof reviewedFields)[number], unknown>>): string {
  const content = Object.fromEntries(reviewedFields.map((field) => [field, story[field] ?? null]))
  return createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 32)
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
