import type { Payload } from 'payload'
import { houseRights } from '../../channels/house.ts'
import { defaultHouseStyles, type HouseStyles } from '../../channels/print/houseStyles.ts'
import type { PrintStory } from '../../channels/print/types.ts'
import type { Column, ColumnIssue, Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { slotCapacity } from '../print/columnFit.ts'
import { printStory } from '../print/printStory.ts'

/** Where the print preview fits the story: the slot it is planned in, else a column's slot. */
export interface PrintPlacement {
  column: Pick<Column, 'id' | 'name' | 'newspaper'>
  /** The issue and slot the story is planned in; null when it is fitted to a chosen column. */
  issue: { id: number; title: string; issueDate: string; position: number } | null
}

/** The story as the print column will set it, and how it fits. */
export interface PrintPreview {
  story: PrintStory
  styles: HouseStyles
  placement: PrintPlacement | null
  /** 正文 the slot holds (0: no column to fit against). */
  budget: number
  /** Every column, for choosing one when the story is planned in none. */
  columns: Pick<Column, 'id' | 'name'>[]
}

/**
 * The print column's view of a version of the story: its text with the column's house styles
 * and print headline, counted as print counts it, against the budget of the slot it is planned
 * in (the latest issue with a slot for it, the slot's own headline and budget), else against a
 * slot of the column `columnId` (else the first column by name).
 */
export async function previewPrint({
  payload,
  doc,
  columnId,
}: {
  payload: Payload
  doc: Story
  columnId?: number | null
}): Promise<PrintPreview> {
  const columns = (
    await payload.find({
      collection: collectionSlugs.columns,
      sort: 'name',
      depth: 0,
      pagination: false,
      overrideAccess: true,
    })
  ).docs
  const planned = await plannedSlot({ payload, storyId: doc.id })
  const column = planned
    ? columns.find((candidate) => candidate.id === planned.columnId)
    : (columns.find((candidate) => candidate.id === columnId) ?? columns[0])
  const slot = planned?.slot
  const story = printStory({
    doc,
    overrides: { kicker: slot?.printKicker, title: slot?.printTitle, subtitle: slot?.printSubtitle },
    rights: houseRights,
  })
  return {
    story,
    styles: { ...defaultHouseStyles, ...filledStyles(column?.styles ?? {}) },
    placement: column
      ? {
          column: { id: column.id, name: column.name, newspaper: column.newspaper },
          issue: planned
            ? {
                id: planned.issue.id,
                title: planned.issue.title,
                issueDate: planned.issue.issueDate,
                position: planned.position,
              }
            : null,
        }
      : null,
    budget: column ? slotCapacity({ column, budget: slot?.budget }) : 0,
    columns: columns.map(({ id, name }) => ({ id, name })),
  }
}

type Slot = NonNullable<ColumnIssue['slots']>[number]

/** The newest issue with a slot for the story, and that slot. */
async function plannedSlot({ payload, storyId }: { payload: Payload; storyId: number }) {
  const { docs } = await payload.find({
    collection: collectionSlugs.columnIssues,
    where: { 'slots.story': { equals: storyId } },
    sort: '-issueDate',
    limit: 1,
    depth: 0,
    overrideAccess: true,
    context: { skipFit: true },
  })
  const issue = docs[0]
  if (!issue) return null
  const index = (issue.slots ?? []).findIndex((candidate: Slot) => idOf(candidate.story) === storyId)
  const slot = issue.slots?.[index]
  if (!slot) return null
  return { issue, slot, position: index + 1, columnId: idOf(issue.column) }
}

const idOf = (value: unknown): number | null =>
  typeof value === 'number' ? value : ((value as { id?: number } | null)?.id ?? null)

const filledStyles = (record: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(record).filter(([, value]) => typeof value === 'string' && value !== ''),
  ) as Partial<HouseStyles>
