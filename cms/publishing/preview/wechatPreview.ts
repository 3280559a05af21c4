import { fallbackRendition, rendition } from '../../channels/picture.ts'
import type { PublishedStory } from '../../channels/types.ts'
import { buildWechatArticle } from '../../channels/wechat/article.ts'
import { buildWechatPreviewPage } from '../../channels/wechat/previewPage.ts'
import type { Story } from '../../payload-types.ts'
import { wechatEditionOf } from '../wechat/wechatStory.ts'

/**
 * The 公众号 tab: the article body WeChat's `content` would take (the WeChat renderer's own
 * HTML, inline styles, links as 注释), at phone width with the title, 作者 and 摘要 WeChat shows
 * and anything over WeChat's limits. Its images are the kitchen's renditions at `mediaUrl`
 * (the export and the push make WeChat's own JPEGs from the originals).
 */
export function wechatPreviewPage({
  doc,
  plate,
  mediaUrl,
}: {
  doc: Story
  plate: PublishedStory
  mediaUrl: (filename: string) => string
}): string {
  const edition = wechatEditionOf({ doc, plate })
  const article = buildWechatArticle({
    story: edition.story,
    imageSrc: (image) => {
      const chosen = rendition({ image, name: 'hero' }) ?? fallbackRendition(image)
      return chosen ? mediaUrl(chosen.filename) : ''
    },
  })
  return buildWechatPreviewPage({
    article,
    meta: {
      title: edition.story.title,
      author: edition.story.author,
      digest: edition.digest,
      sourceUrl: edition.story.sourceUrl,
    },
  })
}
