import { checkWechatLimits, WechatLimitError } from '../../channels/wechat/limits.ts'
import type { WechatEdition } from './wechatStory.ts'

/**
 * Refuses an article WeChat would refuse, with every limit it is over and by how much
 * (WechatLimitError): nothing is cut, an editor shortens the story or gives it a WeChat title
 * or digest.
 */
export function refuseOverLimits({ edition, content }: { edition: WechatEdition; content: string }): void {
  const problems = checkWechatLimits({
    title: edition.story.title,
    author: edition.story.author,
    digest: edition.digest,
    content,
    sourceUrl: edition.story.sourceUrl,
  })
  if (problems.length) throw new WechatLimitError({ problems })
}
