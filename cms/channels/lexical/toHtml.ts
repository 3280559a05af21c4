import { escapeHtml, safeHref } from '../html.ts'
import { figureHtml } from '../picture.ts'
import type { PlatedImage } from '../types.ts'
import {
  childrenOf,
  headingTag,
  type LexicalNode,
  type LinkNode,
  type TextNode,
  textFormat,
  UnknownLexicalNodeError,
  type UploadNode,
} from './nodes.ts'

export interface BodyResolvers {
  /** The plated image an upload node shows, or null when it is not public (or gone). */
  image: (node: UploadNode) => PlatedImage | null
  /** The public path of an internally linked story, or null when it is not published. */
  storyPath: (value: unknown) => string | null
}

/** `sizes` for images in the body column. */
export const BODY_IMAGE_SIZES = '(min-width: 48rem) 42rem, 100vw'

/**
 * Lexical JSON → safe HTML. Text is escaped, links are vetted by `safeHref`, nothing
 * the editor cannot produce is emitted (no inline styles, no scripts, no event handlers).
 */
export function lexicalToHtml({
  root,
  resolve,
}: {
  root: LexicalNode | null | undefined
  resolve: BodyResolvers
}) {
  if (!root) return ''
  return renderNode({ node: root, resolve })
}

// No closures in the functions below: they run for every node of every story a build plates.
function renderChildren({ node, resolve }: { node: LexicalNode; resolve: BodyResolvers }): string {
  let html = ''
  for (const child of childrenOf(node)) html += renderNode({ node: child, resolve })
  return html
}

function renderNode({ node, resolve }: { node: LexicalNode; resolve: BodyResolvers }): string {
  switch (node.type) {
    case 'root':
      return renderChildren({ node, resolve })
    case 'paragraph': {
      const content = renderChildren({ node, resolve })
      return content === '' ? '' : `<p>${content}</p>`
    }
    case 'heading': {
      const tag = headingTag(node)
      return `<${tag}>${renderChildren({ node, resolve })}</${tag}>`
    }
    case 'quote':
      return `<blockquote><p>${renderChildren({ node, resolve })}</p></blockquote>`
    case 'list': {
      const tag = node.listType === 'number' ? 'ol' : 'ul'
      const start =
        tag === 'ol' && typeof node.start === 'number' && node.start !== 1 ? ` start="${node.start}"` : ''
      return `<${tag}${start}>${renderChildren({ node, resolve })}</${tag}>`
    }
    case 'listitem':
      return `<li>${renderChildren({ node, resolve })}</li>`
    case 'text':
      return renderText(node as TextNode)
    case 'linebreak':
      return '<br>'
    case 'tab':
      return ' '
    case 'horizontalrule':
      return '<hr>'
    case 'link':
    case 'autolink':
      return renderLink({ node: node as LinkNode, inner: renderChildren({ node, resolve }), resolve })
    case 'upload': {
      const upload = node as UploadNode
      const image = resolve.image(upload)
      if (!image) return ''
      return figureHtml({ image, caption: upload.fields?.caption ?? null, sizes: BODY_IMAGE_SIZES })
    }
    default:
      throw new UnknownLexicalNodeError({ nodeType: String(node.type) })
  }
}

/** Format bits and their tags, innermost first. */
const FORMAT_TAGS: [number, string][] = [
  [textFormat.code, 'code'],
  [textFormat.subscript, 'sub'],
  [textFormat.superscript, 'sup'],
  [textFormat.strikethrough, 's'],
  [textFormat.underline, 'u'],
  [textFormat.italic, 'em'],
  [textFormat.bold, 'strong'],
]

function renderText(node: TextNode): string {
  let html = escapeHtml(typeof node.text === 'string' ? node.text : '')
  const format = typeof node.format === 'number' ? node.format : 0
  if (format === 0) return html
  for (const [bit, tag] of FORMAT_TAGS) if (format & bit) html = `<${tag}>${html}</${tag}>`
  return html
}

function renderLink({ node, inner, resolve }: { node: LinkNode; inner: string; resolve: BodyResolvers }) {
  const href = linkTarget({ node, resolve })
  // A link to nowhere safe keeps its words and loses only the link.
  if (!href) return inner
  const isExternal = /^https?:/.test(href)
  const rel = isExternal ? ' rel="noopener noreferrer"' : ''
  return `<a href="${escapeHtml(href)}"${rel}>${inner}</a>`
}

export function linkTarget({ node, resolve }: { node: LinkNode; resolve: BodyResolvers }): string | null {
  const fields = node.fields ?? {}
  if (fields.linkType === 'internal') return resolve.storyPath(fields.doc?.value)
  return safeHref(fields.url)
}
