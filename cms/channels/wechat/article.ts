import { escapeHtml } from '../html.ts'
import type { Run } from '../lexical/toBlocks.ts'
import type { PlatedImage } from '../types.ts'
import { type NoteBook, noteBook, noteLine } from './notes.ts'
import { type WechatTheme, wechatTheme } from './theme.ts'
import type { WechatArticle, WechatBlock, WechatStory } from './types.ts'

/**
 * One story as the body of a WeChat official-account article (图文消息 `content`): inline
 * styles only (WeChat drops classes, ids and `<style>`), no script, no links. WeChat sets the
 * title above the article itself, so the body opens with the kicker, subtitle, byline and
 * 导语, then the body blocks in order, an end mark, and 注释: each link's words keep a `[n]`
 * and its URL is listed at the end, since WeChat refuses links out of the body. Every text
 * and the image sources (`imageSrc`: a local file in an export, a WeChat-hosted URL for a
 * push) are escaped.
 */
export function buildWechatArticle({
  story,
  imageSrc,
  theme = wechatTheme,
}: {
  story: WechatStory
  imageSrc: (image: PlatedImage) => string
  theme?: WechatTheme
}): WechatArticle {
  const notes = noteBook({ siteOrigin: story.siteOrigin, sourceUrl: story.sourceUrl })
  const render: Renderer = { theme, notes, imageSrc }
  const head = [
    textElement({ name: 'p', style: theme.kicker, text: story.kicker }),
    textElement({ name: 'p', style: theme.subtitle, text: story.subtitle }),
    textElement({ name: 'p', style: theme.byline, text: story.byline }),
    textElement({ name: 'p', style: theme.summary, text: story.summary }),
  ].join('')
  const body = groupItems(story.blocks)
    .map((group) => groupHtml({ group, render }))
    .join('')
  const endMark = element({ name: 'p', style: theme.endMark, inner: escapeHtml(theme.endMarkText) })
  const noted = notes.notes()
  const notesHtml = noted.length
    ? element({
        name: 'section',
        style: theme.notes,
        inner:
          element({ name: 'p', style: theme.notesHeading, inner: '注释' }) +
          noted
            .map((note) => element({ name: 'p', style: theme.note, inner: escapeHtml(noteLine(note)) }))
            .join(''),
      })
    : ''
  const html = element({ name: 'section', style: theme.article, inner: head + body + endMark + notesHtml })
  return { html, notes: noted, characters: [...html].length, bytes: new TextEncoder().encode(html).length }
}

interface Renderer {
  theme: WechatTheme
  notes: NoteBook
  imageSrc: (image: PlatedImage) => string
}

/** A body block, or a list: the runs of consecutive list items. */
type Group = WechatBlock | { kind: 'list'; items: Run[][] }

/** Consecutive list items become one list. */
function groupItems(blocks: readonly WechatBlock[]): Group[] {
  const groups: Group[] = []
  for (const block of blocks) {
    const last = groups.at(-1)
    if (block.kind !== 'item') groups.push(block)
    else if (last?.kind === 'list') last.items.push(block.runs)
    else groups.push({ kind: 'list', items: [block.runs] })
  }
  return groups
}

function groupHtml({ group, render }: { group: Group; render: Renderer }): string {
  const { theme } = render
  switch (group.kind) {
    case 'paragraph':
      return element({ name: 'p', style: theme.paragraph, inner: runsHtml({ runs: group.runs, render }) })
    case 'subhead': {
      const name = `h${group.level}` as const
      return element({ name, style: theme[name], inner: runsHtml({ runs: group.runs, render }) })
    }
    case 'quote':
      return element({
        name: 'blockquote',
        style: theme.blockquote,
        inner: runsHtml({ runs: group.runs, render }),
      })
    case 'item':
      return listHtml({ items: [group.runs], render })
    case 'list':
      return listHtml({ items: group.items, render })
    case 'image':
      return figureHtml({ image: group.image, caption: group.caption, render })
  }
}

function listHtml({ items, render }: { items: Run[][]; render: Renderer }): string {
  const { theme } = render
  return element({
    name: 'ul',
    style: theme.list,
    inner: items
      .map((runs) => element({ name: 'li', style: theme.listItem, inner: runsHtml({ runs, render }) }))
      .join(''),
  })
}

function figureHtml({
  image,
  caption,
  render,
}: {
  image: PlatedImage
  caption: string | null
  render: Renderer
}): string {
  const { theme } = render
  const img = `<img src="${escapeHtml(render.imageSrc(image))}" alt="${escapeHtml(image.alt)}" style="${escapeHtml(theme.image)}">`
  // An emptied caption field is no caption of the block's own: the image's shows.
  const text = caption?.trim() || image.caption
  const credit = image.credit
    ? element({ name: 'span', style: theme.credit, inner: escapeHtml(image.credit) })
    : ''
  const captionHtml =
    text || credit
      ? element({
          name: 'p',
          style: theme.caption,
          inner: `${text ? escapeHtml(text) : ''}${text && credit ? ' ' : ''}${credit}`,
        })
      : ''
  return element({ name: 'section', style: theme.figure, inner: img + captionHtml })
}

/**
 * Runs as inline markup. A link is the longest stretch of runs with one target: its words,
 * then its note mark.
 */
function runsHtml({ runs, render }: { runs: readonly Run[]; render: Renderer }): string {
  let html = ''
  for (let start = 0; start < runs.length; ) {
    const href = runs[start]?.href ?? null
    let end = start + 1
    while (href !== null && end < runs.length && runs[end]?.href === href) end += 1
    const stretch = runs.slice(start, end)
    html += stretch.map(runHtml).join('')
    const number =
      href === null ? null : render.notes.mark({ text: stretch.map((r) => r.text).join(''), href })
    if (number !== null) html += element({ name: 'span', style: render.theme.noteMark, inner: `[${number}]` })
    start = end
  }
  return html
}

function runHtml(run: Run): string {
  const text = run.text
    .split('\n')
    .map((line) => escapeHtml(line))
    .join('<br>')
  const italic = run.isItalic ? `<em>${text}</em>` : text
  return run.isBold ? `<strong>${italic}</strong>` : italic
}

function textElement({ name, style, text }: { name: 'p'; style: string; text: string | null }): string {
  const trimmed = text?.trim()
  return trimmed ? element({ name, style, inner: escapeHtml(trimmed) }) : ''
}

function element({ name, style, inner }: { name: string; style: string; inner: string }): string {
  const attribute = style ? ` style="${escapeHtml(style)}"` : ''
  return `<${name}${attribute}>${inner}</${name}>`
}
