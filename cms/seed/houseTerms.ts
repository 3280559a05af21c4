import type { Payload, RequestContext } from 'payload'
import { collectionSlugs } from '../slugs.ts'
import { demoHouseTerms } from './content/houseTerms.ts'

/** The demo house term list (规范用语): each term added unless the list has it already. Returns how many were added. */
export async function seedHouseTerms({
  payload,
  context,
}: {
  payload: Payload
  context: RequestContext
}): Promise<number> {
  const { docs } = await payload.find({
    collection: collectionSlugs.houseTerms,
    where: { term: { in: demoHouseTerms.map((entry) => entry.term) } },
    pagination: false,
    depth: 0,
    overrideAccess: true,
  })
  const existing = new Set(docs.map((doc) => doc.term))
  let added = 0
  for (const entry of demoHouseTerms) {
    if (existing.has(entry.term)) continue
    await payload.create({
      collection: collectionSlugs.houseTerms,
      data: { ...entry, wholeWord: entry.wholeWord ?? false },
      overrideAccess: true,
      context,
    })
    added += 1
  }
  return added
}
