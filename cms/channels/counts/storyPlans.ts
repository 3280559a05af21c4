import type { TvShot } from '../tv/types.ts'

/**
 * A print slot the story is planned into: the column, the issue's date (ISO, midnight in
 * Beijing) and the slot's budget in 字, as the column's fit computes it (`slotCapacity`).
 */
export interface PrintPlan {
  issueId: number
  issueTitle: string
  column: string
  issueDate: string
  /** 1-based slot number in the issue */
  position: number
  budget: number
}

/**
 * A TV segment the story is planned into: the programme and its pace (字 a minute), the air
 * date (ISO), the segment's budget in seconds (its own, else the programme's), its 口播导语
 * (null: the story's summary is read) and the TV desk's shots, whose wording is timed instead
 * of the story's.
 */
export interface TvPlan {
  episodeId: number
  episodeTitle: string
  programme: string
  airDate: string
  position: number
  pace: number
  budgetSeconds: number
  lead: string | null
  shots: TvShot[]
}

/** Where the WeChat article's notes point: the site and the story's page on it (阅读原文). */
export interface WechatPlan {
  siteOrigin: string
  sourceUrl: string
}

/**
 * Where a story is planned, as `GET /api/stories/:id/budgets` answers it: enough for the
 * editor's sidebar to count the body the editor is typing against every outlet's budget.
 */
export interface StoryPlans {
  storyId: number
  print: PrintPlan[]
  tv: TvPlan[]
  wechat: WechatPlan
}
