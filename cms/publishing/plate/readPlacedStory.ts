import type { Payload, PayloadRequest } from 'payload'
import type { Story } from '../../payload-types.ts'
import { isOutletStage, readApprovedStory } from './readApprovedStory.ts'

/** How a plan names its rows and its date in the one-line refusals below. */
export interface PlanWords {
  /** `slot`, `segment` */
  row: string
  /** what the story cannot do when withdrawn: `be printed`, `go on air` */
  use: string
  /** `print`, or '' when the stage says it */
  approvedFor: string
  /** `this date`, `the air date` */
  date: string
}

/**
 * The story a plan's row places (a column slot, a TV segment), read as the desk takes it, or
 * the one line that says why it cannot be placed: an empty row, a story that no longer exists,
 * was withdrawn, is not approved yet, or is under embargo past the plan's date.
 */
export async function readPlacedStory({
  payload,
  ref,
  position,
  date,
  words,
  req,
}: {
  payload: Payload
  ref: number | { id: number } | null | undefined
  position: number
  /** ISO date-time the plan goes out (issue date, air date) */
  date: string
  words: PlanWords
  req?: PayloadRequest
}): Promise<{ story: Story; problem?: undefined } | { story?: undefined; problem: string }> {
  const id = typeof ref === 'object' && ref ? ref.id : ref
  const row = `${words.row} ${position}`
  if (!id) return { problem: `${row} is empty: choose a story or remove the ${words.row}` }
  const story = await readApprovedStory({ payload, id, req })
  if (!story) return { problem: `${row}: story ${id} no longer exists` }
  if (story.stage === 'withdrawn')
    return { problem: `${row}: “${story.title}” was withdrawn and cannot ${words.use}` }
  if (!isOutletStage(story.stage)) {
    const forWhat = words.approvedFor ? ` for ${words.approvedFor}` : ''
    return { problem: `${row}: “${story.title}” is not approved${forWhat} yet (${story.stage})` }
  }
  if (story.embargoUntil && new Date(story.embargoUntil) > new Date(date))
    return {
      problem: `${row}: “${story.title}” is under embargo until ${story.embargoUntil}, after ${words.date}`,
    }
  return { story }
}
