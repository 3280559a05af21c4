import type { CollectionBeforeChangeHook } from 'payload'
import type { Story } from '../../../payload-types.ts'
import { collectionSlugs } from '../../../slugs.ts'
import { liveStages } from '../../../workflow/stages.ts'

export type FormerSlug = { slug: string; leftAt: string }

/**
 * Keeps every address a story has had on the public site, so the site can answer each with a
 * permanent redirect to the current one. The list is kept here alone, from the stored story
 * (the row the public reads, which only a non-draft save changes), never from what a client
 * sends: the slug a story leaves is added when the story has ever been live, and its current
 * slug is never among them (a story renamed back takes its old address back).
 */
export const keepFormerSlugs: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  if (operation === 'create' || originalDoc?.id === undefined) return { ...data, formerSlugs: [] }
  const stored = await req.payload.db.findOne<Story>({
    collection: collectionSlugs.stories,
    where: { id: { equals: originalDoc.id } },
    // Only what is needed here: a save should not read the whole story again for this.
    select: { slug: true, formerSlugs: true, _status: true, stage: true, stageHistory: true },
    req,
  })
  const slug = typeof data.slug === 'string' ? data.slug : (stored?.slug ?? null)
  const kept: FormerSlug[] = (stored?.formerSlugs ?? []).map(({ slug, leftAt }) => ({ slug, leftAt }))
  const left = stored?.slug && stored.slug !== slug && hasBeenLive(stored) ? stored.slug : null
  return { ...data, formerSlugs: formerSlugsAfter({ kept, left, slug, now: new Date() }) }
}

/**
 * The former slugs once the story leaves `left` (if any) for `slug`: each slug once, with the
 * last time it was left; the current one never.
 */
export function formerSlugsAfter({
  kept,
  left,
  slug,
  now,
}: {
  kept: FormerSlug[]
  left: string | null
  slug: string | null
  now: Date
}): FormerSlug[] {
  const all = left ? [...kept, { slug: left, leftAt: now.toISOString() }] : kept
  const latest = new Map<string, FormerSlug>()
  for (const former of all) {
    const known = latest.get(former.slug)
    if (!known || known.leftAt < former.leftAt) latest.set(former.slug, former)
  }
  return [...latest.values()].filter((former) => former.slug !== slug)
}

/** Whether readers may have the story's address: it is live, or has been published once. */
const hasBeenLive = (story: Story) =>
  (story._status === 'published' && !!story.stage && liveStages.includes(story.stage)) ||
  (story.stageHistory ?? []).some((move) => !!move.to && liveStages.includes(move.to))
