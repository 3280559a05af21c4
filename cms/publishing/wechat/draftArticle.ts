/**
 * One article of a WeChat draft (图文消息), as `draft/add` and `draft/update` take it. Limits
 * (WeChat refuses past them): title 64 characters (45003), author 8 (45110), digest 120 (45004),
 * content under 20,000 characters and 1 MB (45002). Images in `content` must be URLs
 * `uploadBodyImage` returned (WeChat drops any other image); `thumb_media_id` is the cover, a
 * permanent image from `addPermanentImage`.
 */
export type WechatDraftArticle = {
  article_type?: 'news'
  title: string
  author?: string
  /** Shown under the title in lists; WeChat takes the first 54 characters of the text when empty. */
  digest?: string
  /** HTML; WeChat strips scripts. */
  content: string
  /** Where 阅读原文 leads: the story on our site. */
  content_source_url?: string
  thumb_media_id: string
  need_open_comment?: 0 | 1
  only_fans_can_comment?: 0 | 1
  /** The cover's 2.35:1 crop, `X1_Y1_X2_Y2` in 0–1 of the original (top left 0,0). */
  pic_crop_235_1?: string
  /** The cover's 1:1 crop, `X1_Y1_X2_Y2`. */
  pic_crop_1_1?: string
}

/** An article as `draft/get` answers it: what was saved, as WeChat keeps it. */
export type WechatNewsItem = {
  article_type?: string
  title: string
  author: string
  digest: string
  content: string
  content_source_url: string
  thumb_media_id: string
  /** The cover's URL. */
  thumb_url?: string
  need_open_comment?: number
  only_fans_can_comment?: number
  pic_crop_235_1?: string
  pic_crop_1_1?: string
  /** A preview link of the draft. */
  url: string
  is_deleted?: boolean
}
