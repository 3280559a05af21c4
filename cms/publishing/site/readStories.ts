import type { Payload } from 'payload'
import { type StorySummary, summarize } from '../../../site/planner/index.ts'
import type { PlatedSection } from '../../channels/types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { plateInBulk } from '../plate/plateInBulk.ts'
import { plateSection } from '../plate/plateStory.ts'
import {
  listPublishedStamps,
  MAX_PLATE_PAGE_SIZE,
  type PublishedStamp,
} from '../plate/readPublishedStories.ts'
import { type BuildState, type Dependencies, sharedParts } from './buildState.ts'
import { cachePlates } from './plateCache.ts'
import type { Plates } from './plateReader.ts'

/** What a build knows before it reads any story. */
export interface Catalog {
  /** What the stories will be plated with. */
  dependencies: Dependencies
  /** Every public story, oldest first. */
  stamps: PublishedStamp[]
  /** The sections of the public stories, as their plates show them. */
  sections: PlatedSection[]
}

export async function readCatalog({ payload }: { payload: Payload }): Promise<Catalog> {
  // Read before the stories: a dependency saved meanwhile is seen as changed by the next build.
  const dependencies = await readDependencies({ payload })
  const stamps = await listPublishedStamps({ payload })
  const ids = [...new Set(stamps.flatMap((story) => (story.section ? [story.section] : [])))]
  const found = ids.length
    ? await payload.find({
        collection: collectionSlugs.sections,
        where: { id: { in: ids } },
        overrideAccess: false,
        user: null,
        depth: 0,
        pagination: false,
      })
    : { docs: [] }
  return { dependencies, stamps, sections: found.docs.map((section) => plateSection(section)) }
}

/** A story as a build reads it: its summary, and its plate as JSON when it was read from the kitchen. */
export type ReadStory = { summary: StorySummary; json?: string }

/**
 * The summary of every story the public may read now, oldest first, a batch at a time: from
 * the last build's state when the story and the media, people and section it shows are
 * unchanged since (their `updatedAt` is what the last build saw) and every story it links to
 * is where its plate links it (the catalog's addresses: no query more); read from the kitchen
 * (and cached) otherwise, with the story in full.
 */
export async function* readStories({
  payload,
  distDir,
  prior,
  catalog: { dependencies, stamps },
  plates,
}: {
  payload: Payload
  distDir: string
  prior: BuildState | null
  catalog: Catalog
  plates: Plates
}): AsyncGenerator<ReadStory[]> {
  const known = new Map(prior?.stories.map((story) => [story.id, story]))
  const isChanged = (kind: keyof Dependencies, id: number) =>
    !prior || prior.dependencies?.[kind]?.[id] !== dependencies[kind][id]
  // Where each public story is now; a story not here is not public, and a link to it is plain text.
  const addresses = new Map(stamps.map((story) => [story.id, story.path]))
  const isCurrent = (summary: StorySummary | undefined, stamp: string): summary is StorySummary =>
    !!summary &&
    summary.stamp === stamp &&
    !summary.mediaIds.some((media) => isChanged('media', media)) &&
    !summary.people.some((person) => isChanged('people', person.id)) &&
    !(summary.section && isChanged('sections', summary.section.id)) &&
    summary.links.every((link) => link.path === (addresses.get(link.id) ?? null))
  const share = sharedParts()
  for (let at = 0; at < stamps.length; at += MAX_PLATE_PAGE_SIZE) {
    const batch = stamps.slice(at, at + MAX_PLATE_PAGE_SIZE)
    const fresh = new Map<number, { summary: StorySummary; json: string }>()
    const stale = batch.filter(({ id, stamp }) => !isCurrent(known.get(id), stamp))
    for await (const stories of plateInBulk({ payload, ids: stale.map((story) => story.id) })) {
      const stampOf = new Map(stale.map((story) => [story.id, story.stamp]))
      const cached = stories.map(({ story, links, formerPaths }) => {
        const json = JSON.stringify(story)
        const stamp = stampOf.get(story.id) ?? story.updatedAt
        const summary = share(summarize({ story, stamp, json, links, formerPaths }))
        fresh.set(story.id, { summary, json })
        plates.remember(story, summary.digest)
        return { id: story.id, digest: summary.digest, json }
      })
      await cachePlates({ distDir, plates: cached })
    }
    // A story withdrawn between the list and its reading is left out.
    yield batch.flatMap(({ id, stamp }) => {
      const summary = known.get(id)
      if (isCurrent(summary, stamp)) return [{ summary }]
      const read = fresh.get(id)
      return read ? [read] : []
    })
  }
}

/** The `updatedAt` of every medium, person and section, by id. */
async function readDependencies({ payload }: { payload: Payload }): Promise<Dependencies> {
  const stamps = async (collection: keyof Dependencies) => {
    const result = await payload.find({
      collection,
      select: { updatedAt: true },
      depth: 0,
      pagination: false,
    })
    return Object.fromEntries(result.docs.map((doc) => [doc.id, doc.updatedAt]))
  }
  return { media: await stamps('media'), people: await stamps('people'), sections: await stamps('sections') }
}
