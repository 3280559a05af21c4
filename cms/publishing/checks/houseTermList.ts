import type { Payload, PayloadRequest } from 'payload'
import { cachedTermMatcher, type TermMatcher, termMatcherFor } from '../../channels/checks/termMatcher.ts'
import { collectionSlugs } from '../../slugs.ts'

/**
 * The matcher for the house term list (规范用语) as it stands. The list's version is its size
 * and its newest change, read in one small query; the terms themselves are read and the
 * automaton built only when that version is new to this process (an edit, an addition or a
 * removal anywhere in the list changes it).
 */
export async function houseTermMatcher({
  payload,
  req,
}: {
  payload: Payload
  req?: PayloadRequest
}): Promise<TermMatcher> {
  const newest = await payload.find({
    collection: collectionSlugs.houseTerms,
    sort: '-updatedAt',
    limit: 1,
    depth: 0,
    select: { updatedAt: true },
    overrideAccess: true,
    req,
  })
  const version = `${newest.totalDocs}:${newest.docs[0]?.updatedAt ?? ''}`
  const cached = cachedTermMatcher({ version })
  if (cached) return cached
  const { docs } = await payload.find({
    collection: collectionSlugs.houseTerms,
    pagination: false,
    depth: 0,
    select: { term: true, severity: true, replacement: true, wholeWord: true, note: true },
    overrideAccess: true,
    req,
  })
  return termMatcherFor({ version, terms: docs })
}
