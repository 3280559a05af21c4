import { type CollectionAfterReadHook, type CollectionBeforeChangeHook, ValidationError } from 'payload'
import type { ColumnIssue } from '../../payload-types.ts'
import { ColumnIssueError, describeFit, fitIssue, printableStages } from '../../publishing/print/columnFit.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * Only stories approved for print or published may be placed, and none still under embargo
 * on the issue's date: the editor gets the reason on the slot itself.
 */
export const checkSlots: CollectionBeforeChangeHook = async ({ data, req }) => {
  const errors: { path: string; message: string }[] = []
  for (const [index, slot] of ((data.slots ?? []) as { story?: unknown }[]).entries()) {
    const id = typeof slot.story === 'object' && slot.story ? (slot.story as { id: number }).id : slot.story
    if (!id) continue
    const story = await req.payload.findByID({
      collection: collectionSlugs.stories,
      id: id as number,
      depth: 0,
      draft: true,
      overrideAccess: true,
      disableErrors: true,
      req,
    })
    const path = `slots.${index}.story`
    if (!story) errors.push({ path, message: `稿件 ${id} 不存在 / Story ${id} does not exist` })
    else if (!printableStages.includes(story.stage as (typeof printableStages)[number])) {
      errors.push({
        path,
        message: `“${story.title}”尚未审定或已撤稿，不能上版 / Not approved for print, or withdrawn`,
      })
    } else if (
      story.embargoUntil &&
      data.issueDate &&
      new Date(story.embargoUntil) > new Date(data.issueDate)
    ) {
      errors.push({
        path,
        message: `“${story.title}”禁发至 ${story.embargoUntil}，晚于见报日期 / Under embargo past the issue date`,
      })
    }
  }
  if (errors.length) throw new ValidationError({ collection: collectionSlugs.columnIssues, errors, req })
  return data
}

/** Shows the count against the budget per slot and for the issue, before any export. */
export const showFit: CollectionAfterReadHook = async ({ doc, req, context }) => {
  if (!req.user || context.skipFit) return doc
  try {
    const fit = await fitIssue({ payload: req.payload, issue: doc as ColumnIssue, req })
    return {
      ...doc,
      fitSummary: `${describeFit(fit)}（${fit.slots.length} 篇）`,
      slots: (doc.slots ?? []).map((slot: Record<string, unknown>, index: number) => {
        const slotFit = fit.slots[index]
        return slotFit
          ? { ...slot, fit: describeFit({ running: slotFit.story.counts.running, budget: slotFit.budget }) }
          : slot
      }),
    }
  } catch (err) {
    if (err instanceof ColumnIssueError) return { ...doc, fitSummary: `无法核算：${err.message}` }
    throw err
  }
}
