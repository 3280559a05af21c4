import { createHash } from 'node:crypto'
import type { SerializedEditorState } from '@payloadcms/richtext-lexical/lexical'
import type { DemoBlock } from './content/types.ts'

type Node = Record<string, unknown>

const element = { format: '', indent: 0, version: 1, direction: 'ltr' } as const

const text = (value: string): Node => ({
  type: 'text',
  text: value,
  format: 0,
  detail: 0,
  mode: 'normal',
  style: '',
  version: 1,
})

const paragraph = (children: Node[]): Node => ({
  type: 'paragraph',
  ...element,
  textFormat: 0,
  textStyle: '',
  children,
})

/**
 * Builds the Lexical state that the story editor itself would save for a demo body;
 * `imageIds` maps demo image indices to media document ids.
 */
export function demoBodyToLexical({
  blocks,
  imageIds,
}: {
  blocks: DemoBlock[]
  imageIds: (index: number) => number
}): SerializedEditorState {
  const children = blocks.map((block, position): Node => {
    if ('h2' in block) return { type: 'heading', tag: 'h2', ...element, children: [text(block.h2)] }
    if ('h3' in block) return { type: 'heading', tag: 'h3', ...element, children: [text(block.h3)] }
    if ('quote' in block) return { type: 'quote', ...element, children: [text(block.quote)] }
    if ('ul' in block) return list({ items: block.ul, listType: 'bullet' })
    if ('ol' in block) return list({ items: block.ol, listType: 'number' })
    if ('image' in block) {
      return {
        type: 'upload',
        version: 3,
        format: '',
        id: nodeId(`${position}:${block.image}:${block.caption}`),
        relationTo: 'media',
        value: imageIds(block.image),
        fields: { caption: block.caption },
      }
    }
    if ('link' in block) return linkedParagraph({ text: block.p, link: block.link })
    return paragraph([text(block.p)])
  })
  return { root: { type: 'root', ...element, children } } as unknown as SerializedEditorState
}

function list({ items, listType }: { items: string[]; listType: 'bullet' | 'number' }): Node {
  return {
    type: 'list',
    listType,
    tag: listType === 'bullet' ? 'ul' : 'ol',
    start: 1,
    ...element,
    children: items.map((item, index) => ({
      type: 'listitem',
      value: index + 1,
      ...element,
      children: [text(item)],
    })),
  }
}

function linkedParagraph({ text: body, link }: { text: string; link: { text: string; url: string } }): Node {
  const at = body.indexOf(link.text)
  if (at < 0) throw new Error(`demo link text "${link.text}" is not in its paragraph`)
  const before = body.slice(0, at)
  const after = body.slice(at + link.text.length)
  return paragraph([
    ...(before ? [text(before)] : []),
    {
      type: 'link',
      ...element,
      version: 3,
      id: nodeId(link.url + link.text),
      fields: { linkType: 'custom', url: link.url, newTab: false },
      children: [text(link.text)],
    },
    ...(after ? [text(after)] : []),
  ])
}

/** Lexical block ids look like Mongo ObjectIds; derive them so re-seeding is stable. */
function nodeId(seed: string): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, 24)
}
