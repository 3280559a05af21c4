import type { Payload, PayloadRequest } from 'payload'
import { houseRights } from '../../channels/house.ts'
import type { HouseStyles } from '../../channels/print/houseStyles.ts'
import { defaultHouseStyles } from '../../channels/print/houseStyles.ts'
import type { PrintStory } from '../../channels/print/types.ts'
import type { Column, ColumnIssue } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { outletStages } from '../plate/readApprovedStory.ts'
import { type PlanWords, readPlacedStory } from '../plate/readPlacedStory.ts'
import { printStory } from './printStory.ts'

/** Stages a story may be placed in the column from: approved for print, or published. */
export const printableStages = outletStages

export interface SlotFit {
  position: number
  story: PrintStory
  budget: number
  /** Positive: over the budget by that many characters; negative: room left. */
  over: number
}

export interface IssueFit {
  column: Column
  styles: HouseStyles
  slots: SlotFit[]
  running: number
  budget: number
  over: number
}

/** A slot's capacity: its own budget, else the column's per-slot budget, else its page geometry. */
export function slotCapacity({ column, budget }: { column: Column; budget?: number | null }): number {
  if (budget) return budget
  const g = column.geometry ?? {}
  if (g.slotBudget) return g.slotBudget
  if (g.charactersPerLine && g.linesPerColumn && g.columns)
    return g.charactersPerLine * g.linesPerColumn * g.columns
  return 0
}

/** How the column's refusals name a slot and its date. */
const printWords: PlanWords = {
  row: 'slot',
  use: 'be printed',
  approvedFor: 'print',
  date: "this issue's date",
}

export class ColumnIssueError extends Error {
  readonly status: number
  constructor({ message, status }: { message: string; status: number }) {
    super(message)
    this.name = 'ColumnIssueError'
    this.status = status
  }
}

/**
 * Reads and counts every slot of an issue as print sets it: a published story as published
 * (not a later unpublished draft), an approved one at its latest version. Refuses an empty
 * issue, a missing or withdrawn story, and one still under embargo on the issue date.
 */
export async function fitIssue({
  payload,
  issue,
  req,
}: {
  payload: Payload
  issue: ColumnIssue
  req?: PayloadRequest
}): Promise<IssueFit> {
  const columnId = typeof issue.column === 'object' ? issue.column.id : issue.column
  const column = await payload.findByID({
    collection: collectionSlugs.columns,
    id: columnId,
    depth: 0,
    overrideAccess: true,
    req,
  })
  const styles = { ...defaultHouseStyles, ...stripNulls(column.styles ?? {}) }
  const slots = issue.slots ?? []
  if (slots.length === 0)
    throw new ColumnIssueError({
      message: `issue ${issue.id} has no slots: place at least one story`,
      status: 422,
    })
  const fits: SlotFit[] = []
  for (const [index, slot] of slots.entries()) {
    const position = index + 1
    const placed = await readPlacedStory({
      payload,
      ref: slot.story,
      position,
      date: issue.issueDate,
      words: printWords,
      req,
    })
    if (placed.problem !== undefined) throw new ColumnIssueError({ message: placed.problem, status: 422 })
    const doc = placed.story
    const story = printStory({
      doc,
      overrides: { kicker: slot.printKicker, title: slot.printTitle, subtitle: slot.printSubtitle },
      rights: houseRights,
    })
    const budget = slotCapacity({ column, budget: slot.budget })
    fits.push({ position, story, budget, over: story.counts.running - budget })
  }
  const running = fits.reduce((sum, fit) => sum + fit.story.counts.running, 0)
  const budget = fits.reduce((sum, fit) => sum + fit.budget, 0)
  return { column, styles, slots: fits, running, budget, over: running - budget }
}

const stripNulls = (record: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(record).filter(([, value]) => typeof value === 'string' && value !== ''),
  ) as Partial<HouseStyles>

/** One line an editor reads: `正文 1,234 / 1,500 字，余 266 字`. */
export function describeFit({ running, budget }: { running: number; budget: number }): string {
  const over = running - budget
  return `正文 ${running} / ${budget} 字，${over > 0 ? `超出 ${over} 字` : `余 ${-over} 字`}`
}
