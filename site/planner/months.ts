/** The newsroom's time zone: a story belongs to the month (and the day) it was published in Beijing. */
export const TIME_ZONE = 'Asia/Shanghai'

/** `2026-11`, the month a story belongs to in Beijing time. */
const monthKeyFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
})

export function monthKey(iso: string): string {
  const parts = monthKeyFormat.formatToParts(new Date(iso))
  const year = parts.find((part) => part.type === 'year')?.value
  const month = parts.find((part) => part.type === 'month')?.value
  return `${year}-${month}`
}
