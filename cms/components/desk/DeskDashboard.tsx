import { type DashboardViewServerProps, DefaultDashboard } from '@payloadcms/next/views'
import { Gutter } from '@payloadcms/ui'
import { deskSchedule, deskTroubles } from '../../jobs/scheduleQueue.ts'
import { addDays, beijingDay, beijingHourMinute } from '../../lib/beijingDays.ts'
import type { User } from '../../payload-types.ts'
import { myStories } from '../../publishing/desk/myStories.ts'
import { waitingForMyReview } from '../../publishing/desk/reviewQueue.ts'
import { TROUBLE_WINDOW_DAYS } from '../../publishing/desk/troubles.ts'
import { reviewLevelLabels } from '../../workflow/reviewLevels.ts'
import { isDeskRole, roles } from '../../workflow/roles.ts'
import { stageLabels } from '../../workflow/stages.ts'
import { deskTime } from '../deskFormat.ts'
import { type DeskRow, DeskSection } from './DeskSection.tsx'
import { deskWords, languageOf, scheduleKindWords, storyHref, troubleKindWords } from './deskWords.ts'

/**
 * 工作台, the admin's home (replacing Payload's dashboard view): 待我审, 我的稿件, 今日排期 and
 * 迟发/失败 for the desk; a reporter sees 我的稿件 only. Payload's own dashboard (the backup
 * status and every collection's card) follows below, so nothing it offered is lost.
 */
export async function DeskDashboard(props: DashboardViewServerProps) {
  const { payload, i18n } = props
  const user = props.user as User | null | undefined
  const language = languageOf(i18n)
  const say = (words: Record<'zh' | 'en', string>) => words[language]
  if (!user) return <DefaultDashboard {...props} />
  const isDesk = isDeskRole(roles.find((role) => role === user.role))
  const now = new Date()
  const today = beijingDay(now)
  const [waiting, mine, todays, troubles] = await Promise.all([
    isDesk ? waitingForMyReview({ payload, user }) : [],
    myStories({ payload, user }),
    isDesk ? deskSchedule({ payload, ...today }) : [],
    isDesk ? deskTroubles({ payload, since: addDays(now, -TROUBLE_WINDOW_DAYS) }) : [],
  ])
  const waitingRows: DeskRow[] = waiting.map((story) => ({
    key: String(story.id),
    href: storyHref(story.id),
    title: story.title,
    tag: say(reviewLevelLabels[story.level]),
    meta: deskTime(story.updatedAt),
  }))
  const myRows: DeskRow[] = mine.map((story) => ({
    key: String(story.id),
    href: storyHref(story.id),
    title: story.title,
    tag: say(stageLabels[story.stage]),
    meta: deskTime(story.updatedAt),
  }))
  const todayRows: DeskRow[] = todays.map((item) => ({
    key: `${item.kind}-${item.scheduleId ?? item.storyId}`,
    href: storyHref(item.storyId),
    title: item.title,
    tag: say(scheduleKindWords[item.kind]),
    meta: beijingHourMinute(new Date(item.at)),
  }))
  const troubleRows: DeskRow[] = troubles.map((trouble, index) => ({
    key: `${trouble.kind}-${index}`,
    // A failed site build belongs to no story: its line says why, without a link.
    href: trouble.storyId ? storyHref(trouble.storyId) : undefined,
    title: trouble.title ? `${trouble.title}：${trouble.detail}` : trouble.detail,
    tag: say(troubleKindWords[trouble.kind]),
    tone: 'alarm',
    meta: deskTime(trouble.at),
  }))
  return (
    <>
      <Gutter className="desk-dashboard">
        <h1 style={{ margin: '1.5rem 0 1rem' }} data-desk-title>
          {say(deskWords.desk)}
        </h1>
        <div data-desk style={gridStyle}>
          {isDesk ? (
            <DeskSection
              name="waiting"
              title={say(deskWords.waitingForMe)}
              rows={waitingRows}
              empty={say(deskWords.nothingWaiting)}
            />
          ) : null}
          <DeskSection
            name="mine"
            title={say(deskWords.myStories)}
            rows={myRows}
            empty={say(deskWords.noStories)}
            aside={<a href="/admin/collections/stories">{say(deskWords.allStories)}</a>}
          />
          {isDesk ? (
            <DeskSection
              name="today"
              title={say(deskWords.today)}
              rows={todayRows}
              empty={say(deskWords.nothingToday)}
              aside={<a href="/admin/schedule">{say(deskWords.calendar)}</a>}
            />
          ) : null}
          {isDesk ? (
            <DeskSection
              name="troubles"
              title={say(deskWords.troubles)}
              rows={troubleRows}
              empty={say(deskWords.noTroubles)}
              aside={say(deskWords.troublesWindow)}
            />
          ) : null}
        </div>
        <h2 style={{ fontSize: '1.1rem', margin: '2rem 0 0' }}>{say(deskWords.allCollections)}</h2>
      </Gutter>
      <DefaultDashboard {...props} />
    </>
  )
}

const gridStyle = {
  display: 'grid',
  gridTemplateColumns: 'repeat(auto-fit, minmax(22rem, 1fr))',
  gap: '1rem',
}
