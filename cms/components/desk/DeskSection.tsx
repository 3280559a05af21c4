import type { ReactNode } from 'react'

/** One row of a desk section: what links to the story, and the words beside it. */
export type DeskRow = {
  key: string
  href?: string
  title: string
  tag?: string
  meta?: string
  tone?: 'alarm'
}

/** A titled list on the 工作台: each row a link to its story; `empty` when there is none. */
export function DeskSection({
  name,
  title,
  aside,
  rows,
  empty,
}: {
  /** `data-desk-section` for tests and styles. */
  name: string
  title: string
  aside?: ReactNode
  rows: readonly DeskRow[]
  empty: string
}) {
  return (
    <section data-desk-section={name} style={sectionStyle}>
      <h2 style={{ fontSize: '1.1rem', margin: '0 0 0.5rem' }}>
        {title} <span style={{ fontWeight: 'normal', opacity: 0.7 }}>{rows.length || ''}</span>
        {aside ? (
          <span style={{ float: 'right', fontSize: '0.85rem', fontWeight: 'normal' }}>{aside}</span>
        ) : null}
      </h2>
      {rows.length === 0 ? (
        <p style={{ margin: 0, opacity: 0.7 }}>{empty}</p>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {rows.map((row) => (
            <li key={row.key} data-desk-row style={rowStyle}>
              {row.tag ? (
                <span data-desk-tag style={row.tone === 'alarm' ? { ...tagStyle, ...alarmStyle } : tagStyle}>
                  {row.tag}
                </span>
              ) : null}
              {row.href ? <a href={row.href}>{row.title}</a> : <span>{row.title}</span>}
              {row.meta ? (
                <span style={{ marginLeft: 'auto', opacity: 0.75, whiteSpace: 'nowrap' }}>{row.meta}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

const sectionStyle = {
  border: '1px solid var(--theme-elevation-150)',
  borderRadius: 4,
  padding: '1rem',
  background: 'var(--theme-elevation-0)',
}
const rowStyle = {
  display: 'flex',
  gap: '0.5rem',
  alignItems: 'baseline',
  padding: '0.35rem 0',
  borderTop: '1px solid var(--theme-elevation-100)',
}
const tagStyle = {
  fontSize: '0.8rem',
  padding: '0 0.4rem',
  borderRadius: 3,
  background: 'var(--theme-elevation-100)',
  whiteSpace: 'nowrap' as const,
}
const alarmStyle = { background: 'var(--theme-error-100)', color: 'var(--theme-error-750)' }
