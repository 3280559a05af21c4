import { createHash } from 'node:crypto'
import type { LexicalNode } from '../channels/lexical/nodes.ts'
import type { DemoBlock } from './content/types.ts'
import {
  heading,
  link,
  list,
  paragraph,
  quote,
  root,
  type SavedState,
  savedState,
  text,
  upload,
} from './lexicalNodes.ts'

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
}): SavedState {
  const children = blocks.map((block, position): LexicalNode => {
    if ('h2' in block) return heading('h2', text(block.h2))
    if ('h3' in block) return heading('h3', text(block.h3))
    if ('quote' in block) return quote(text(block.quote))
    if ('ul' in block) return list({ items: block.ul, listType: 'bullet' })
    if ('ol' in block) return list({ items: block.ol, listType: 'number' })
    if ('image' in block) {
      return upload({
        id: nodeId(`${position}:${block.image}:${block.caption}`),
        value: imageIds(block.image),
        caption: block.caption,
      })
    }
    if ('link' in block) return linkedParagraph({ text: block.p, link: block.link })
    return paragraph(text(block.p))
  })
  return savedState(root(...children))
}

function linkedParagraph({
  text: body,
  link: { text: words, url },
}: {
  text: string
  link: { text: string; url: string }
}): LexicalNode {
  const at = body.indexOf(words)
  if (at < 0) throw new Error(`demo link text "${words}" is not in its paragraph`)
  const before = body.slice(0, at)
  const after = body.slice(at + words.length)
  return paragraph(
    ...(before ? [text(before)] : []),
    link({ url, id: nodeId(url + words), children: [text(words)] }),
    ...(after ? [text(after)] : []),
  )
}

/** Lexical block ids look like Mongo ObjectIds; derive them so re-seeding is stable. */
function nodeId(seed: string): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, 24)
}
