const BEFORE = 30
const LENGTH = 120

/**
 * A window of `text` around the first occurrence of `term` (case-insensitive), about 120
 * characters, cut at whole characters; escaped for HTML, with each occurrence of the term in
 * it wrapped in `<mark>`. The start of the text when the term is not in it (a title hit).
 */
export function highlightExcerpt({ text, term }: { text: string; term: string }): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  const lowered = chars.map((char) => char.toLowerCase())
  const wanted = Array.from(term.toLowerCase())
  const first = indexOfChars(lowered, wanted, 0)
  const start = first < 0 ? 0 : Math.max(0, first - BEFORE)
  const end = Math.min(chars.length, start + LENGTH)
  let html = start > 0 ? '…' : ''
  let at = start
  while (at < end) {
    const hit = wanted.length ? indexOfChars(lowered, wanted, at) : -1
    if (hit < 0 || hit >= end) {
      html += escapeHtml(chars.slice(at, end).join(''))
      break
    }
    const hitEnd = Math.min(hit + wanted.length, chars.length)
    html += `${escapeHtml(chars.slice(at, hit).join(''))}<mark>${escapeHtml(chars.slice(hit, hitEnd).join(''))}</mark>`
    at = hitEnd
  }
  return end < chars.length ? `${html}…` : html
}

function indexOfChars(haystack: string[], needle: string[], from: number): number {
  outer: for (let at = from; at + needle.length <= haystack.length; at += 1) {
    for (let offset = 0; offset < needle.length; offset += 1)
      if (haystack[at + offset] !== needle[offset]) continue outer
    return at
  }
  return -1
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
