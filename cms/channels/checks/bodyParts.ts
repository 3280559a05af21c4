import { childrenOf, type LexicalNode, type LinkNode, type UploadNode } from '../lexical/nodes.ts'
import { lexicalToText } from '../lexical/toText.ts'

/** An image in the body: what the upload node points at, and its own caption. */
export interface BodyImage {
  /** The media id, or the populated media document. */
  value: unknown
  caption: string | null
  /** 1-based, in reading order. */
  position: number
}

/** A link in the body: to another story (internal) or to a URL. */
export type BodyLink =
  | { kind: 'internal'; relationTo: string | null; value: unknown; text: string }
  | { kind: 'url'; url: string; text: string }

/** What the pre-publication check reads of a body: its text, images and links. */
export interface BodyParts {
  /** The plain text, a blank line between blocks (the same text print and the counts use). */
  text: string
  images: BodyImage[]
  links: BodyLink[]
}

/** Lexical JSON → its text, images and links, in reading order. Pure. */
export function bodyParts({ root }: { root: LexicalNode | null | undefined }): BodyParts {
  const images: BodyImage[] = []
  const links: BodyLink[] = []
  if (!root) return { text: '', images, links }
  const visit = (node: LexicalNode) => {
    if (node.type === 'upload') {
      const upload = node as UploadNode
      images.push({
        value: upload.value,
        caption: upload.fields?.caption ?? null,
        position: images.length + 1,
      })
      return
    }
    if (node.type === 'link' || node.type === 'autolink') {
      const fields = (node as LinkNode).fields ?? {}
      const text = linkText(node)
      if (fields.linkType === 'internal') {
        links.push({
          kind: 'internal',
          relationTo: fields.doc?.relationTo ?? null,
          value: fields.doc?.value ?? null,
          text,
        })
      } else if (typeof fields.url === 'string' && fields.url.trim()) {
        links.push({ kind: 'url', url: fields.url.trim(), text })
      }
    }
    for (const child of childrenOf(node)) visit(child)
  }
  visit(root)
  return { text: lexicalToText({ root }), images, links }
}

function linkText(node: LexicalNode): string {
  if (node.type === 'text') return String(node.text ?? '')
  return childrenOf(node).map(linkText).join('')
}
