import { wechatLimits } from '../../channels/wechat/limits.ts'
import type { CheckedStory, StoryCheck } from './types.ts'

/**
 * Titles against the limits of the outlets a story goes to. Only WeChat has a hard title
 * limit (64 字): print fits titles by hand on the page and TV segments carry their own title.
 * A WeChat title the editor wrote that is too long blocks (it can never be pushed); the web
 * title being too long for WeChat only warns, since a shorter WeChat title can be added.
 */
export function checkTitles({ story }: { story: CheckedStory }): StoryCheck[] {
  const limit = wechatLimits.titleCharacters
  const wechatTitle = story.wechat?.title?.trim() ?? ''
  if (wechatTitle) {
    const length = [...wechatTitle].length
    if (length <= limit) return []
    return [
      {
        code: 'wechat_title_too_long',
        severity: 'block',
        field: 'wechat.title',
        message: {
          zh: `公众号标题 ${length} 字，超出公众号上限 ${limit} 字 ${length - limit} 字：请删减`,
          en: `The WeChat title is ${length} characters, ${length - limit} over WeChat's limit of ${limit}: shorten it`,
        },
      },
    ]
  }
  const length = [...(story.title?.trim() ?? '')].length
  if (length <= limit) return []
  return [
    {
      code: 'wechat_title_too_long',
      severity: 'warn',
      field: 'wechat.title',
      message: {
        zh: `主题 ${length} 字，超出公众号标题上限 ${limit} 字：推送公众号前请填写不超过 ${limit} 字的“公众号标题”`,
        en: `The title is ${length} characters, over WeChat's limit of ${limit}: give a WeChat title before pushing to WeChat`,
      },
    },
  ]
}
