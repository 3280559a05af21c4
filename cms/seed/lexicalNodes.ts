import type { LexicalNode } from '../channels/lexical/nodes.ts'
import type { Story } from '../payload-types.ts'

/** A story body as Payload stores it. */
export type SavedState = NonNullable<Story['body']>

/**
 * Lexical nodes built by hand: for the demo content, the benchmark corpus and the tests.
 * The builders give what the renderers read (a type, children, what the node carries);
 * `savedState` adds what the story editor itself saves beside it (Lexical's defaults), for
 * a body that goes through Payload.
 */

/** A text node; `format` is Lexical's bit set (`textFormat` in channels/lexical/nodes.ts). */
export const text = (value: string, format = 0): LexicalNode => ({
  type: 'text',
  text: value,
  format,
  version: 1,
})

export const paragraph = (...children: LexicalNode[]): LexicalNode => ({ type: 'paragraph', children })

export const root = (...children: LexicalNode[]): LexicalNode => ({ type: 'root', children })

export const heading = (tag: 'h2' | 'h3' | 'h4', ...children: LexicalNode[]): LexicalNode => ({
  type: 'heading',
  tag,
  children,
})

export const quote = (...children: LexicalNode[]): LexicalNode => ({ type: 'quote', children })

/** A bulleted or numbered list, one text item a line. */
export function list({ items, listType }: { items: string[]; listType: 'bullet' | 'number' }): LexicalNode {
  return {
    type: 'list',
    listType,
    tag: listType === 'bullet' ? 'ul' : 'ol',
    start: 1,
    children: items.map((item, index) => ({ type: 'listitem', value: index + 1, children: [text(item)] })),
  }
}

/** A link to a URL, as the editor's link button makes it; `id` is the node's own id. */
export function link({
  url,
  id,
  children,
}: {
  url: string
  id: string
  children: LexicalNode[]
}): LexicalNode {
  return { type: 'link', id, fields: { linkType: 'custom', url, newTab: false }, children }
}

/** A link to another document (a story) by its id. */
export function internalLink({
  relationTo,
  value,
  children,
}: {
  relationTo: string
  value: number
  children: LexicalNode[]
}): LexicalNode {
  return { type: 'link', fields: { linkType: 'internal', doc: { relationTo, value } }, children }
}

/** An image from the media collection, with the caption the editor gives it. */
export function upload({ id, value, caption }: { id: string; value: number; caption: string }): LexicalNode {
  return { type: 'upload', id, relationTo: 'media', value, fields: { caption } }
}

/** The editor state the story editor saves for `rootNode`: every node with Lexical's defaults. */
export function savedState(rootNode: LexicalNode): SavedState {
  return { root: asSaved(rootNode) } as SavedState
}

const element = { format: '', indent: 0, version: 1, direction: 'ltr' } as const

/** What Lexical (0.2x, as Payload 3 ships it) writes beside each node's own fields. */
const savedDefaults: Record<string, Record<string, unknown>> = {
  root: element,
  paragraph: { ...element, textFormat: 0, textStyle: '' },
  heading: element,
  quote: element,
  list: element,
  listitem: element,
  link: { ...element, version: 3 },
  text: { format: 0, detail: 0, mode: 'normal', style: '', version: 1 },
  upload: { format: '', version: 3 },
}

function asSaved(node: LexicalNode): LexicalNode {
  const defaults = savedDefaults[node.type]
  if (!defaults) throw new Error(`savedState: no saved form known for a "${node.type}" node`)
  const { type, ...fields } = node
  const saved: LexicalNode = { type, ...defaults, ...fields }
  if (node.children) saved.children = node.children.map(asSaved)
  return saved
}
