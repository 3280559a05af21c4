/** HTML escaping and URL vetting shared by every renderer that writes markup. */

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return stripControlCharacters(text).replace(/[&<>"']/g, (char) => escapes[char] ?? char)
}

/**
 * Removes C0/C1 controls (but tab and newline) and lone surrogates: they are invalid in
 * HTML and XML, and broken Unicode must not break a page or a feed.
 */
export function stripControlCharacters(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
      // Lone surrogates become U+FFFD.
      .toWellFormed()
  )
}

const safeSchemes = new Set(['http:', 'https:', 'mailto:', 'tel:'])

/**
 * A link target an outlet may print, or null: http(s), mailto and tel URLs, root-relative
 * paths and fragments. `javascript:`, `data:`, `vbscript:` and anything unparseable are refused.
 */
export function safeHref(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null
  // Browsers ignore whitespace and controls inside a scheme (`java\tscript:`): so do we.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const url = stripControlCharacters(raw).replace(/[\s\u0000-\u001f]/g, '')
  if (url === '') return null
  if (url.startsWith('#')) return url
  if (url.startsWith('/') && !url.startsWith('//')) return url
  try {
    const parsed = new URL(url)
    return safeSchemes.has(parsed.protocol) ? parsed.href : null
  } catch {
    // Not an absolute URL and not a root-relative path: nothing an outlet can resolve.
    return null
  }
}

/**
 * Makes the root-relative `href`, `src` and `srcset` URLs of plate HTML absolute. Safe as a
 * text rewrite because plate HTML escapes every `"` in text, so `href="/` only ever starts
 * an attribute the plate wrote.
 */
export function absoluteHtml({ html, baseUrl }: { html: string; baseUrl: string }): string {
  const base = baseUrl.replace(/\/+$/, '')
  return html
    .replace(/ (href|src)="\/(?!\/)/g, ` $1="${base}/`)
    .replace(/ srcset="([^"]*)"/g, (_match, list: string) => {
      const absolute = list
        .split(', ')
        .map((candidate) => (candidate.startsWith('/') ? base + candidate : candidate))
        .join(', ')
      return ` srcset="${absolute}"`
    })
}
