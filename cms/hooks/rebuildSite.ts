import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'
import { queueSiteBuild } from '../jobs/siteBuild.ts'

/** The seed and bulk imports switch side effects off with this context flag. */
const isQuiet = (context: Record<string, unknown>) =>
  context.isSeed === true || context.skipSiteBuild === true

const wasPublic = (doc: { _status?: string | null } | undefined) => doc?._status === 'published'

/**
 * A story published, corrected, withdrawn or unpublished (by hand or by a schedule) asks for
 * a site build; a story published under embargo asks for another when the embargo ends.
 * Draft saves of an unpublished story change nothing the public sees and ask for nothing.
 */
export const rebuildSiteAfterStoryChange: CollectionAfterChangeHook = async ({
  doc,
  previousDoc,
  req,
  context,
}) => {
  if (isQuiet(context)) return doc
  if (!wasPublic(doc) && !wasPublic(previousDoc)) return doc
  await queueSiteBuild({ payload: req.payload, req, reason: `story ${doc.id} ${doc.stage ?? ''}`.trim() })
  const embargoEnds = typeof doc.embargoUntil === 'string' ? new Date(doc.embargoUntil) : null
  if (wasPublic(doc) && embargoEnds && embargoEnds.getTime() > Date.now()) {
    await queueSiteBuild({
      payload: req.payload,
      req,
      reason: `story ${doc.id} embargo ends`,
      at: new Date(embargoEnds.getTime() + 1000),
    })
  }
  return doc
}

export const rebuildSiteAfterStoryDelete: CollectionAfterDeleteHook = async ({ doc, req, context }) =>
  wasPublic(doc) ? rebuildUnlessQuiet({ doc, req, context, reason: `story ${doc.id} deleted` }) : doc

/** People and sections appear on the site's pages: a change to one rebuilds it. */
export const rebuildSiteAfterChange: CollectionAfterChangeHook = ({ doc, req, context, collection }) =>
  rebuildUnlessQuiet({ doc, req, context, reason: `${collection.slug} ${doc.id}` })

export const rebuildSiteAfterDelete: CollectionAfterDeleteHook = ({ doc, req, context, collection }) =>
  rebuildUnlessQuiet({ doc, req, context, reason: `${collection.slug} ${doc.id} deleted` })

/**
 * An image edited (its caption, alt text, credit, focal point, or a new file): the pages and
 * feeds of the stories that show it are rebuilt with it (the build reads again every story
 * showing an image saved since its last build, and one showing none renders nothing). A new
 * upload shows nowhere until a story using it is saved, which asks for its own build.
 */
export const rebuildSiteAfterMediaChange: CollectionAfterChangeHook = async ({
  doc,
  operation,
  req,
  context,
}) => (operation === 'update' ? rebuildUnlessQuiet({ doc, req, context, reason: `media ${doc.id}` }) : doc)

/** A site build for `reason`, unless the save switched side effects off; the doc back, as a hook returns it. */
async function rebuildUnlessQuiet<T>({
  doc,
  req,
  context,
  reason,
}: {
  doc: T
  req: PayloadRequest
  context: Record<string, unknown>
  reason: string
}): Promise<T> {
  if (!isQuiet(context)) await queueSiteBuild({ payload: req.payload, req, reason })
  return doc
}
