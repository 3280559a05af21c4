import { type CollectionBeforeChangeHook, ValidationError } from 'payload'
import type { Story } from '../payload-types.ts'
import { isOutletStage, readApprovedStory } from '../publishing/plate/readApprovedStory.ts'
import type { HongyanCollectionSlug } from '../slugs.ts'

/** A refusal on one field of the document, as Payload shows it beside that field. */
export type FieldError = { path: string; message: string }

/** How a desk names sending a story out, and the date it goes out on, in both languages. */
export interface OutletWords {
  /** `上版`, `播出`: “…尚未审定或已撤稿，不能上版” */
  placeZh: string
  /** `for print`, `for broadcast` */
  placeEn: string
  /** `见报日期`, `播出日期` */
  dateZh: string
  /** `the issue date`, `the air date` */
  dateEn: string
}

/**
 * A beforeChange hook for a plan of stories (a column issue's slots, a TV episode's
 * segments): only stories approved or live may be placed, none still under embargo on the
 * plan's date. Each story is judged as the desk will take it (`readApprovedStory`); the editor
 * gets the reason on the row's story field, in Chinese and English. `checkRow` adds an
 * outlet's own checks of a row whose story may be placed.
 */
export function checkPlacedStories<Row extends { story?: unknown }>({
  collection,
  rowsField,
  dateField,
  words,
  checkRow,
}: {
  collection: HongyanCollectionSlug
  rowsField: string
  dateField: string
  words: OutletWords
  checkRow?: (row: { row: Row; index: number; story: Story }) => FieldError[]
}): CollectionBeforeChangeHook {
  return async ({ data, req }) => {
    const errors: FieldError[] = []
    const date = data[dateField] as string | Date | undefined
    for (const [index, row] of ((data[rowsField] ?? []) as Row[]).entries()) {
      const id = typeof row.story === 'object' && row.story ? (row.story as { id: number }).id : row.story
      if (!id) continue
      const path = `${rowsField}.${index}.story`
      const story = await readApprovedStory({ payload: req.payload, id: Number(id), req })
      if (!story) errors.push({ path, message: `稿件 ${id} 不存在 / Story ${id} does not exist` })
      else if (!isOutletStage(story.stage)) {
        errors.push({
          path,
          message: `“${story.title}”尚未审定或已撤稿，不能${words.placeZh} / Not approved ${words.placeEn}, or withdrawn`,
        })
      } else if (story.embargoUntil && date && new Date(story.embargoUntil) > new Date(date)) {
        errors.push({
          path,
          message: `“${story.title}”禁发至 ${story.embargoUntil}，晚于${words.dateZh} / Under embargo past ${words.dateEn}`,
        })
      } else if (checkRow) errors.push(...checkRow({ row, index, story }))
    }
    if (errors.length) throw new ValidationError({ collection, errors, req })
    return data
  }
}
