import type { WechatNewsItem } from '../../cms/publishing/wechat/draftArticle.ts'

/**
 * WeChat's documented limits of a draft article (draft/add, draft/update), as the official
 * account's editor enforces them: characters are counted as code points.
 */
export const WECHAT_ARTICLE_LIMITS = {
  titleChars: 64,
  authorChars: 8,
  digestChars: 120,
  /** content must be under this many characters… */
  contentChars: 20_000,
  /** …and under this many bytes. */
  contentBytes: 1024 * 1024,
  contentSourceUrlBytes: 1024,
  /** The digest WeChat makes when none is given: the text's first characters. */
  defaultDigestChars: 54,
} as const

/** What the test server knows when it checks an article. */
export type DraftContext = {
  /** The permanent image of a media_id this server issued, else undefined. */
  permanentImage: (mediaId: string) => { url: string } | undefined
  /** Whether this server's uploadimg (or add_material) handed out the URL. */
  isIssuedImageUrl: (src: string) => boolean
  /** The draft's preview link, as draft/get answers it. */
  previewUrl: string
}

/** An article WeChat accepted, as it keeps it, and the image URLs it dropped from the content. */
export type CheckedArticle = { item: WechatNewsItem; filteredImages: string[] }

const OPTIONAL_STRINGS = ['author', 'digest', 'content_source_url', 'pic_crop_235_1', 'pic_crop_1_1'] as const
const SWITCHES = ['need_open_comment', 'only_fans_can_comment'] as const

/**
 * An article of a draft/add or draft/update body checked as WeChat does, with WeChat's errcode
 * for the first thing wrong: 47001 a required field missing or a field of the wrong type,
 * 40007 a cover that is no permanent image of this account, 45003 title, 45110 author,
 * 45004 digest, 45005 content_source_url, 45002 content too long. Accepted content loses its
 * scripts and every image WeChat did not host (WeChat filters them silently).
 */
export function checkArticle({
  value,
  context,
}: {
  value: unknown
  context: DraftContext
}): { errcode: number } | CheckedArticle {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { errcode: 47001 }
  const article = value as Record<string, unknown>
  // Only 图文消息 (news): 图片消息 (newspic) takes other fields, which Hongyan never sends.
  if (article.article_type !== undefined && article.article_type !== 'news') return { errcode: 47001 }
  const { title, content, thumb_media_id: thumbMediaId } = article
  if (!isFilled(title) || !isFilled(content) || !isFilled(thumbMediaId)) return { errcode: 47001 }
  if (OPTIONAL_STRINGS.some((name) => article[name] !== undefined && typeof article[name] !== 'string')) {
    return { errcode: 47001 }
  }
  if (SWITCHES.some((name) => article[name] !== undefined && article[name] !== 0 && article[name] !== 1)) {
    return { errcode: 47001 }
  }
  const cover = context.permanentImage(thumbMediaId)
  if (!cover) return { errcode: 40007 }
  const author = optional(article.author)
  const digest = optional(article.digest)
  const sourceUrl = optional(article.content_source_url)
  const limits = WECHAT_ARTICLE_LIMITS
  if (chars(title) > limits.titleChars) return { errcode: 45003 }
  if (chars(author) > limits.authorChars) return { errcode: 45110 }
  if (chars(digest) > limits.digestChars) return { errcode: 45004 }
  if (Buffer.byteLength(sourceUrl) > limits.contentSourceUrlBytes) return { errcode: 45005 }
  if (chars(content) >= limits.contentChars || Buffer.byteLength(content) >= limits.contentBytes) {
    return { errcode: 45002 }
  }
  const { kept, filteredImages } = filterContent({ content, context })
  const item: WechatNewsItem = {
    article_type: 'news',
    title,
    author,
    digest: digest || [...plainText(kept)].slice(0, limits.defaultDigestChars).join(''),
    content: kept,
    content_source_url: sourceUrl,
    thumb_media_id: thumbMediaId,
    thumb_url: cover.url,
    need_open_comment: (article.need_open_comment as number | undefined) ?? 0,
    only_fans_can_comment: (article.only_fans_can_comment as number | undefined) ?? 0,
    url: context.previewUrl,
    is_deleted: false,
  }
  for (const crop of ['pic_crop_235_1', 'pic_crop_1_1'] as const) {
    const given = optional(article[crop])
    if (given) item[crop] = given
  }
  return { item, filteredImages }
}

/**
 * WeChat's parser keeps a `\uXXXX` escape of a non-ASCII character as the six characters it
 * is written with (the documentation warns: send "作者", never "\u4f5c\u8005"). This rewrites
 * such escapes so JSON.parse keeps them as text too; an escaped backslash stays one.
 */
export function keepUnicodeEscapesAsText(json: string): string {
  return json.replace(/\\(u([0-9a-fA-F]{4})|[\s\S])/g, (sequence, _body, hex: string | undefined) =>
    hex && Number.parseInt(hex, 16) >= 0x80 ? `\\${sequence}` : sequence,
  )
}

/** Content without scripts and without images this server did not host. */
function filterContent({ content, context }: { content: string; context: DraftContext }): {
  kept: string
  filteredImages: string[]
} {
  const filteredImages: string[] = []
  const kept = content
    .replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/<img\b[^>]*>/gi, (tag) => {
      const src = decodeEntities(
        /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag)?.slice(1).find(Boolean) ?? '',
      )
      if (src && context.isIssuedImageUrl(src)) return tag
      filteredImages.push(src)
      return ''
    })
  return { kept, filteredImages }
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0
}

function optional(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function chars(text: string): number {
  return [...text].length
}

function plainText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim()
}

function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}
