/**
 * The Lexical nodes the story editor offers (see `cms/collections/Stories/bodyEditor.ts`),
 * as the editor serialises them. Every renderer handles each of these; anything else is an
 * `UnknownLexicalNodeError`, never silently dropped.
 */

export interface LexicalNode {
  type: string
  children?: LexicalNode[]
  [key: string]: unknown
}

export interface TextNode extends LexicalNode {
  type: 'text'
  text: string
  format?: number
}

export interface UploadNode extends LexicalNode {
  type: 'upload'
  relationTo?: string
  value: unknown
  fields?: { caption?: string | null } | null
}

export interface LinkNode extends LexicalNode {
  type: 'link' | 'autolink'
  fields?: {
    linkType?: 'custom' | 'internal'
    url?: string | null
    newTab?: boolean | null
    doc?: { relationTo?: string; value?: unknown } | null
  }
}

export const handledNodeTypes = [
  'root',
  'paragraph',
  'heading',
  'text',
  'linebreak',
  'tab',
  'quote',
  'list',
  'listitem',
  'link',
  'autolink',
  'horizontalrule',
  'upload',
] as const

/** Lexical's text format bits. */
export const textFormat = {
  bold: 1,
  italic: 2,
  strikethrough: 4,
  underline: 8,
  code: 16,
  subscript: 32,
  superscript: 64,
} as const

export class UnknownLexicalNodeError extends Error {
  readonly nodeType: string
  constructor({ nodeType }: { nodeType: string }) {
    super(`the plate has no renderer for the Lexical node "${nodeType}"`)
    this.name = 'UnknownLexicalNodeError'
    this.nodeType = nodeType
  }
}

export function childrenOf(node: LexicalNode): LexicalNode[] {
  return Array.isArray(node.children) ? node.children : []
}

export function headingTag(node: LexicalNode): 'h2' | 'h3' | 'h4' {
  // The editor offers h2–h4; the story title is the page's h1, so anything higher is demoted.
  const tag = typeof node.tag === 'string' ? node.tag : 'h2'
  if (tag === 'h3' || tag === 'h4') return tag
  return tag === 'h5' || tag === 'h6' ? 'h4' : 'h2'
}
