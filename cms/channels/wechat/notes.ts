import { safeHref } from '../html.ts'
import type { WechatNote } from './types.ts'

/** Numbers a story's links as 注释, in reading order, one number a URL. */
export interface NoteBook {
  /** The note number for a link, or null when the target is nothing a reader may follow. */
  mark: ({ text, href }: { text: string; href: string }) => number | null
  notes: () => WechatNote[]
}

/**
 * WeChat refuses links out of an article's body, so each link's target becomes a numbered
 * note. Root-relative targets are made absolute on the site, fragments on the story's own
 * page; the same URL twice keeps its first number (and its first words).
 */
export function noteBook({ siteOrigin, sourceUrl }: { siteOrigin: string; sourceUrl: string }): NoteBook {
  const byUrl = new Map<string, WechatNote>()
  return {
    mark({ text, href }) {
      const safe = safeHref(href)
      if (!safe) return null
      const url = absoluteUrl({ href: safe, siteOrigin, sourceUrl })
      const known = byUrl.get(url)
      if (known) return known.number
      const note = { number: byUrl.size + 1, text: text.replace(/\s+/g, ' ').trim(), url }
      byUrl.set(url, note)
      return note.number
    },
    notes: () => [...byUrl.values()],
  }
}

/** A note as the 注释 list prints it: `1. 文字：https://…`. */
export const noteLine = (note: WechatNote): string =>
  note.text ? `${note.number}. ${note.text}：${note.url}` : `${note.number}. ${note.url}`

function absoluteUrl({
  href,
  siteOrigin,
  sourceUrl,
}: {
  href: string
  siteOrigin: string
  sourceUrl: string
}): string {
  if (href.startsWith('#')) return `${sourceUrl.split('#')[0]}${href}`
  if (href.startsWith('/')) return `${siteOrigin.replace(/\/+$/, '')}${href}`
  return href
}
