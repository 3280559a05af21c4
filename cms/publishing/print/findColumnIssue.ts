import type { Payload } from 'payload'
import type { ColumnIssue } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { DEFAULT_TIME_ZONE, parseScheduleTime } from '../../workflow/zonedTime.ts'
import { ColumnIssueError } from './columnFit.ts'

/**
 * The column issue `ref` names: its id, or its date (`2026-12-01`, the day in Beijing). A
 * date two issues share, an unknown issue and anything else are refused with their status.
 */
export async function findColumnIssue({
  payload,
  ref,
}: {
  payload: Payload
  ref: string | number
}): Promise<ColumnIssue> {
  const text = String(ref).trim()
  const dayStart = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? parseScheduleTime({ at: `${text}T00:00`, timeZone: DEFAULT_TIME_ZONE })
    : undefined
  if (/^\d+$/.test(text)) {
    const issue = await payload.findByID({
      collection: collectionSlugs.columnIssues,
      id: Number(text),
      depth: 0,
      overrideAccess: true,
      disableErrors: true,
      context: { skipFit: true },
    })
    if (issue) return issue
  } else if (dayStart) {
    const dayEnd = new Date(dayStart.getTime() + 86_400_000)
    const { docs } = await payload.find({
      collection: collectionSlugs.columnIssues,
      where: {
        and: [
          { issueDate: { greater_than_equal: dayStart.toISOString() } },
          { issueDate: { less_than: dayEnd.toISOString() } },
        ],
      },
      depth: 0,
      limit: 2,
      overrideAccess: true,
      context: { skipFit: true },
    })
    if (docs.length > 1)
      throw new ColumnIssueError({
        message: `more than one issue is dated ${text}: give its id`,
        status: 409,
      })
    if (docs[0]) return docs[0]
  } else {
    throw new ColumnIssueError({
      message: `"${text}" is neither an issue id nor a date like 2026-12-01`,
      status: 400,
    })
  }
  throw new ColumnIssueError({ message: `no column issue ${text}`, status: 404 })
}
