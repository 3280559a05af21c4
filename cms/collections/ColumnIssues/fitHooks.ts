import type { CollectionAfterReadHook } from 'payload'
import { checkPlacedStories } from '../../hooks/checkPlacedStories.ts'
import type { ColumnIssue } from '../../payload-types.ts'
import { ColumnIssueError, describeFit, fitIssue } from '../../publishing/print/columnFit.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * Only stories approved for print or published may be placed, and none still under embargo
 * on the issue's date: the editor gets the reason on the slot itself.
 */
export const checkSlots = checkPlacedStories({
  collection: collectionSlugs.columnIssues,
  rowsField: 'slots',
  dateField: 'issueDate',
  words: { placeZh: '上版', placeEn: 'for print', dateZh: '见报日期', dateEn: 'the issue date' },
})

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
