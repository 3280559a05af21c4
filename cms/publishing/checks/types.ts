import type { Payload, PayloadRequest } from 'payload'
import type { Story } from '../../payload-types.ts'

/** 阻断 (block): the story may not be approved or go live; 提示 (warn): worth a look, never stops it. */
export type CheckSeverity = 'block' | 'warn'

/** What a check found, one code a kind of problem (stable, for programs and tests). */
export type CheckCode =
  | 'body_empty'
  | 'image_missing'
  | 'image_alt_missing'
  | 'image_credit_missing'
  | 'portrait_consent_missing'
  | 'portrait_consent_expired'
  | 'link_story_missing'
  | 'link_story_unpublished'
  | 'link_story_withdrawn'
  | 'schedule_before_embargo'
  | 'unpublish_before_publish'
  | 'embargo_after_publication'
  | 'wechat_title_too_long'
  | 'term_forbidden'
  | 'term_suggested'

/** One finding of the pre-publication check (发稿检查). */
export interface StoryCheck {
  code: CheckCode
  severity: CheckSeverity
  /** The admin field path to fix it in: 'title', 'heroImage', 'body', 'wechat.title', 'embargoUntil'… */
  field: string
  /** What is wrong and what to do, in words an editor understands. */
  message: { zh: string; en: string }
}

/** A schedule of the story, pending or being made: what happens when. */
export interface StorySchedule {
  action: 'publish' | 'unpublish'
  /** ISO time */
  at: string
}

/** The story as it would be saved: the save's data over the stored latest version. */
export type CheckedStory = Partial<Story>

/** What every check reads. */
export interface CheckContext {
  payload: Payload
  story: CheckedStory
  now: Date
  /** The save's request, so reads happen in its transaction. */
  req?: PayloadRequest
}

/** The admin's words for the fields a check names. */
export const fieldNames: Record<string, { zh: string; en: string }> = {
  kicker: { zh: '肩题', en: 'kicker' },
  title: { zh: '主题', en: 'title' },
  subtitle: { zh: '副题', en: 'subtitle' },
  summary: { zh: '导语', en: 'summary' },
  body: { zh: '正文', en: 'body' },
  heroImage: { zh: '题图', en: 'hero image' },
  'wechat.title': { zh: '公众号标题', en: 'WeChat title' },
  'wechat.digest': { zh: '公众号摘要', en: 'WeChat digest' },
  embargoUntil: { zh: '禁发至', en: 'embargo' },
}
