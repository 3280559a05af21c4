import { safeHref, stripControlCharacters } from '../html.ts'
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

/** A run of text with the formatting print keeps: bold, italic, and a link target. */
export interface Run {
  text: string
  isBold: boolean
  isItalic: boolean
  href: string | null
}

export type Block =
  | { kind: 'paragraph' | 'quote' | 'item'; runs: Run[] }
  | { kind: 'subhead'; level: 2 | 3 | 4; runs: Run[] }
  | { kind: 'image'; value: unknown; caption: string | null }

/**
 * Lexical JSON → the blocks print outlets lay out (ICML, NITF, DOCX, plain text): paragraphs,
 * subheads, quotes, list items and images, each with formatted runs.
 */
export function lexicalToBlocks({ root }: { root: LexicalNode | null | undefined }): Block[] {
  if (!root) return []
  return childrenOf(root).flatMap(blocksOf)
}

export const blockText = (block: Block): string =>
  block.kind === 'image' ? (block.caption ?? '') : block.runs.map((run) => run.text).join('')

function blocksOf(node: LexicalNode): Block[] {
  switch (node.type) {
    case 'paragraph': {
      const runs = runsOf(node)
      return runs.length ? [{ kind: 'paragraph', runs }] : []
    }
    case 'heading':
      return [{ kind: 'subhead', level: Number(headingTag(node).slice(1)) as 2 | 3 | 4, runs: runsOf(node) }]
    case 'quote':
      return [{ kind: 'quote', runs: runsOf(node) }]
    case 'list':
      return childrenOf(node).flatMap(blocksOf)
    case 'listitem':
      return [
        {
          kind: 'item',
          runs: runsOf({ ...node, children: childrenOf(node).filter((c) => c.type !== 'list') }),
        },
        ...childrenOf(node)
          .filter((c) => c.type === 'list')
          .flatMap(blocksOf),
      ]
    case 'upload': {
      const upload = node as UploadNode
      return [{ kind: 'image', value: upload.value, caption: upload.fields?.caption ?? null }]
    }
    case 'horizontalrule':
      return []
    default:
      throw new UnknownLexicalNodeError({ nodeType: String(node.type) })
  }
}

function runsOf(node: LexicalNode, href: string | null = null): Run[] {
  return childrenOf(node).flatMap((child): Run[] => {
    switch (child.type) {
      case 'text': {
        const format = typeof child.format === 'number' ? child.format : 0
        const text = stripControlCharacters(String((child as TextNode).text ?? ''))
        return text
          ? [
              {
                text,
                isBold: Boolean(format & textFormat.bold),
                isItalic: Boolean(format & textFormat.italic),
                href,
              },
            ]
          : []
      }
      case 'linebreak':
        return [{ text: '\n', isBold: false, isItalic: false, href }]
      case 'tab':
        return [{ text: ' ', isBold: false, isItalic: false, href }]
      case 'link':
      case 'autolink': {
        const fields = (child as LinkNode).fields ?? {}
        const target = fields.linkType === 'internal' ? null : safeHref(fields.url)
        return runsOf(child, target)
      }
      default:
        throw new UnknownLexicalNodeError({ nodeType: String(child.type) })
    }
  })
}
