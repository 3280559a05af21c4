import { DEFAULT_TIME_ZONE } from '../../workflow/zonedTime.ts'

const dateTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: DEFAULT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})
const dateOnly = new Intl.DateTimeFormat('sv-SE', {
  timeZone: DEFAULT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** A time as the newsroom reads it, in Beijing time: `2026-12-01 09:00`. */
export function newsroomTime(iso: string): string {
  return dateTime.format(new Date(iso))
}

/** A day as the newsroom reads it, in Beijing time: `2026-12-01`. */
export function newsroomDate(iso: string): string {
  return dateOnly.format(new Date(iso))
}

/** `“…”` around a quoted piece of copy, shortened past 20 characters. */
export function quoted(text: string): string {
  const characters = [...text.trim()]
  return `“${characters.length > 20 ? `${characters.slice(0, 20).join('')}…` : characters.join('')}”`
}
