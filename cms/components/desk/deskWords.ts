import type { ScheduleItem } from '../../publishing/desk/scheduleItems.ts'
import type { TroubleKind } from '../../publishing/desk/troubles.ts'

/** The desk views' words, in the admin's two languages. */
export type Language = 'zh' | 'en'

export const languageOf = (i18n: { language?: string } | undefined): Language =>
  i18n?.language === 'en' ? 'en' : 'zh'

export const deskWords = {
  desk: { zh: '工作台', en: 'Desk' },
  calendar: { zh: '排期', en: 'Schedule' },
  waitingForMe: { zh: '待我审', en: 'Waiting for my review' },
  myStories: { zh: '我的稿件', en: 'My stories' },
  today: { zh: '今日排期', en: 'Today' },
  troubles: { zh: '迟发/失败', en: 'Late or failed' },
  troublesWindow: { zh: '近 7 天', en: 'last 7 days' },
  nothingWaiting: { zh: '没有等您审的稿件。', en: 'Nothing waits for your review.' },
  noStories: { zh: '您还没有写稿件。', en: 'You have not written a story yet.' },
  nothingToday: { zh: '今天没有定时任务或禁发到期。', en: 'Nothing is scheduled and no embargo ends today.' },
  noTroubles: { zh: '近 7 天没有迟发或失败。', en: 'Nothing late or failed in the last 7 days.' },
  allCollections: { zh: '全部内容', en: 'All collections' },
  allStories: { zh: '全部稿件', en: 'All stories' },
} as const satisfies Record<string, Record<Language, string>>

export const scheduleKindWords: Record<ScheduleItem['kind'], Record<Language, string>> = {
  publish: { zh: '定时发布', en: 'Publish' },
  unpublish: { zh: '定时撤下', en: 'Unpublish' },
  embargo: { zh: '禁发到期', en: 'Embargo ends' },
}

export const troubleKindWords: Record<TroubleKind, Record<Language, string>> = {
  late: { zh: '迟发', en: 'Late' },
  skipped: { zh: '未执行', en: 'Did nothing' },
  scheduleFailed: { zh: '定时失败', en: 'Schedule failed' },
  siteBuildFailed: { zh: '构建失败', en: 'Site build failed' },
  wechatFailed: { zh: '推送失败', en: 'WeChat push failed' },
}

/** The admin's edit page of a story. */
export const storyHref = (id: number) => `/admin/collections/stories/${id}`
