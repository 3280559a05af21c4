/** Longest tag: a keyword, not a sentence. */
export const MAX_TAG_LENGTH = 30

// Letters (any script), marks, digits, spaces, middle dots, hyphens and underscores: a tag is
// a keyword and a URL (`/tags/<tag>/`), so no slashes, brackets, quotes or markup.
const TAG_PATTERN = new RegExp(`^[\\p{L}\\p{N}][\\p{L}\\p{M}\\p{N} ·・_-]{0,${MAX_TAG_LENGTH - 1}}$`, 'u')

export function isSafeTag(tag: string): boolean {
  return TAG_PATTERN.test(tag)
}

/** The editor's error for a tag that cannot be a keyword, or true. */
export function validateTags(value: unknown): true | string {
  const tags = Array.isArray(value) ? value : []
  const bad = tags.find((tag) => typeof tag !== 'string' || !isSafeTag(tag.trim()))
  if (bad === undefined) return true
  return `标签“${String(bad).slice(0, 20)}”无效：只能由文字、数字、空格、间隔号、连字符组成，最长 ${MAX_TAG_LENGTH} 字 / Tags are words: letters, digits, spaces and hyphens, up to ${MAX_TAG_LENGTH} characters`
}
