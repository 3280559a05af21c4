import { stripControlCharacters } from '../html.ts'
import { childrenOf, type LexicalNode, type TextNode, UnknownLexicalNodeError } from './nodes.ts'

/**
 * Lexical JSON → plain text: one block (paragraph, heading, quote, list item) per
 * paragraph, blocks separated by a blank line. Images are left out: their captions are
 * counted and printed on their own.
 */
export function lexicalToText({ root }: { root: LexicalNode | null | undefined }): string {
  if (!root) return ''
  return blocksOf(root)
    .map((block) => block.trim())
    .filter((block) => block !== '')
    .join('\n\n')
}

function blocksOf(node: LexicalNode): string[] {
  switch (node.type) {
    case 'root':
      return childrenOf(node).flatMap(blocksOf)
    case 'paragraph':
    case 'heading':
    case 'quote':
      return [inlineText(node)]
    case 'list':
      return childrenOf(node).flatMap(blocksOf)
    case 'listitem': {
      const nested = childrenOf(node).filter((child) => child.type === 'list')
      const own = { ...node, children: childrenOf(node).filter((child) => child.type !== 'list') }
      return [inlineText(own), ...nested.flatMap(blocksOf)]
    }
    case 'horizontalrule':
    case 'upload':
      return []
    default:
      // Inline nodes at block level (a bare text node) still count as text.
      return [inlineText(node)]
  }
}

function inlineText(node: LexicalNode): string {
  switch (node.type) {
    case 'text':
      return stripControlCharacters(String((node as TextNode).text ?? ''))
    case 'linebreak':
      return '\n'
    case 'tab':
      return ' '
    case 'paragraph':
    case 'heading':
    case 'quote':
    case 'listitem':
    case 'link':
    case 'autolink':
      return childrenOf(node).map(inlineText).join('')
    default:
      throw new UnknownLexicalNodeError({ nodeType: String(node.type) })
  }
}
