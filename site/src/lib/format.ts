import { TIME_ZONE } from '../../planner/months.ts'

/** How the pages show dates (in Beijing time) and structured data. */
const dateFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, dateStyle: 'long' })
const dateTimeFormat = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
})
const monthFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: TIME_ZONE, year: 'numeric', month: 'long' })

/** `2026年11月1日` */
export const chineseDate = (iso: string) => dateFormat.format(new Date(iso))
/** `2026年11月1日 10:00` */
export const chineseDateTime = (iso: string) => dateTimeFormat.format(new Date(iso))
/** `2026年11月` for a `2026-11` key. */
export const monthLabel = (key: string) => monthFormat.format(new Date(`${key}-15T00:00:00+08:00`))

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no text can close the script. */
export const jsonLd = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')
