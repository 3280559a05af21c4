import type { Block } from '../lexical/toBlocks.ts'
import type { PlatedImage } from '../types.ts'
import type { WechatBlock } from './types.ts'

/**
 * Body blocks as WeChat sets them: each image block's upload value plated by `imageOf`
 * (the outlet's plating; this layer reads no documents). An image that no longer plates
 * (deleted media) is left out, as print leaves it out.
 */
export function wechatBlocks({
  blocks,
  imageOf,
}: {
  blocks: readonly Block[]
  imageOf: (value: unknown) => PlatedImage | null
}): WechatBlock[] {
  return blocks.flatMap((block): WechatBlock[] => {
    if (block.kind !== 'image') return [block]
    const image = imageOf(block.value)
    return image ? [{ kind: 'image', image, caption: block.caption }] : []
  })
}
