import { DefaultTemplate } from '@payloadcms/next/templates'
import { Gutter, SetStepNav } from '@payloadcms/ui'
import type { AdminViewServerProps } from 'payload'
import { isDeskRole, roles } from '../../workflow/roles.ts'
import { deskWords, languageOf } from './deskWords.ts'
import { ScheduleCalendar } from './ScheduleCalendar.tsx'

/**
 * `/admin/schedule` (排期): the calendar inside Payload's own admin chrome (a custom view gets
 * no template of its own, so it wraps itself in the default one, nav and header included).
 * For the desk and admins; a reporter reads why there is nothing for them.
 */
export function ScheduleView({ initPageResult, params, searchParams }: AdminViewServerProps) {
  const { req, locale, permissions, visibleEntities } = initPageResult
  const role = roles.find((known) => known === (req.user as { role?: unknown } | null)?.role)
  const language = languageOf(req.i18n)
  return (
    <DefaultTemplate
      i18n={req.i18n}
      locale={locale}
      params={params}
      payload={req.payload}
      permissions={permissions}
      req={req}
      searchParams={searchParams}
      user={req.user ?? undefined}
      viewType="schedule"
      visibleEntities={visibleEntities}
    >
      <SetStepNav nav={[{ label: deskWords.calendar[language] }]} />
      <Gutter>
        <h1 style={{ margin: '1.5rem 0 1rem' }}>{deskWords.calendar[language]}</h1>
        {isDeskRole(role) ? (
          <ScheduleCalendar />
        ) : (
          <p data-schedule-refused>
            只有编辑部和管理员可以查看排期（Only the desk and admins see the schedule）。
          </p>
        )}
      </Gutter>
    </DefaultTemplate>
  )
}
