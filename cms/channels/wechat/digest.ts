import { blockText } from '../lexical/toBlocks.ts'
import type { WechatBlock } from './types.ts'

/** How much of the body WeChat takes as the digest (摘要) when none is given. */
export const WECHAT_AUTO_DIGEST_CHARACTERS = 54

/**
 * The digest (摘要) WeChat shows under the title in a share card: the story's summary, whole
 * (`checkWechatLimits` says when it is too long: a summary is never cut), else the first 54
 * characters of the body text, which is what WeChat itself would take. Null for a story with
 * neither.
 */
export function wechatDigest({
  summary,
  blocks,
}: {
  summary: string | null
  blocks: readonly WechatBlock[]
}): string | null {
  const given = summary?.trim()
  if (given) return given
  const body = blocks
    .flatMap((block) => (block.kind === 'image' ? [] : [blockText(block)]))
    .join('')
    .replace(/\s+/g, ' ')
    .trim()
  return body ? [...body].slice(0, WECHAT_AUTO_DIGEST_CHARACTERS).join('') : null
}
