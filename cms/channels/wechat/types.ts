import type { Block } from '../lexical/toBlocks.ts'
import type { PlatedImage } from '../types.ts'

/** A body block as WeChat sets it: image blocks carry the plated image. */
export type WechatBlock =
  | Exclude<Block, { kind: 'image' }>
  | { kind: 'image'; image: PlatedImage; caption: string | null }

/** One story as a WeChat official account (公众号图文) article takes it. */
export interface WechatStory {
  kicker: string | null
  title: string
  subtitle: string | null
  summary: string | null
  /** 作者 as WeChat shows it (from the byline), or null. */
  author: string | null
  byline: string | null
  blocks: WechatBlock[]
  /** Absolute URL of the story's web page: becomes 阅读原文 (content_source_url). */
  sourceUrl: string
  /** e.g. https://www.example.org — makes root-relative link targets absolute in the notes. */
  siteOrigin: string
}

/** A link WeChat will not let the body carry, as the numbered 注释 at the article's end. */
export interface WechatNote {
  number: number
  text: string
  url: string
}

/** The article body as WeChat's `content` field takes it, measured as WeChat limits it. */
export interface WechatArticle {
  html: string
  notes: WechatNote[]
  /** [...html].length */
  characters: number
  /** UTF-8 bytes */
  bytes: number
}
