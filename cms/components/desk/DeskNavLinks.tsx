import type { ServerProps } from 'payload'
import { isDeskRole, roles } from '../../workflow/roles.ts'
import { deskWords, languageOf } from './deskWords.ts'

/** Above the collections in the admin's nav: 工作台 (the admin's home) and, for the desk, 排期. */
export function DeskNavLinks({ user, i18n }: Pick<ServerProps, 'user' | 'i18n'>) {
  const language = languageOf(i18n)
  const role = roles.find((known) => known === (user as { role?: unknown } | undefined)?.role)
  return (
    <div data-desk-nav style={{ margin: '0 0 1rem' }}>
      <a className="nav__link" href="/admin" data-desk-nav-link="desk">
        <span className="nav__link-label">{deskWords.desk[language]}</span>
      </a>
      {isDeskRole(role) ? (
        <a className="nav__link" href="/admin/schedule" data-desk-nav-link="schedule">
          <span className="nav__link-label">{deskWords.calendar[language]}</span>
        </a>
      ) : null}
    </div>
  )
}
