export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/

/**
 * Reads a schedule time: an ISO time with an offset as it is, or a wall-clock time
 * (`2026-12-01T09:00`) in `timeZone`. Returns undefined for anything else.
 */
export function parseScheduleTime({ at, timeZone }: { at: string; timeZone: string }): Date | undefined {
  if (HAS_OFFSET.test(at)) {
    const date = new Date(at)
    return Number.isNaN(date.getTime()) ? undefined : date
  }
  const match = LOCAL_TIME.exec(at)
  if (!match) return undefined
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)))
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second)
  const check = new Date(asUtc)
  // Date.UTC rolls 2026-13-45 over into 2027: a time that does not round-trip is not one.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour)
    return undefined
  if (check.getUTCMinutes() !== minute || check.getUTCSeconds() !== second) return undefined
  // The zone's offset at that moment, found by formatting the instant in the zone; a
  // second pass corrects a guess that fell on the other side of a daylight-saving change.
  const firstGuess = asUtc - zoneOffsetMs({ at: new Date(asUtc), timeZone })
  const date = new Date(asUtc - zoneOffsetMs({ at: new Date(firstGuess), timeZone }))
  return Number.isNaN(date.getTime()) ? undefined : date
}

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone })
    return true
  } catch {
    return false
  }
}

function zoneOffsetMs({ at, timeZone }: { at: Date; timeZone: string }): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  const wallClock = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  )
  return wallClock - Math.floor(at.getTime() / 1000) * 1000
}
