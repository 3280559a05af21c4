import type { Payload } from 'payload'
import type { Story, User } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { BENCH_ADMIN } from './corpusDatabase.ts'

/** The corpus's bench admin, who makes the timed publishes and schedules. */
export async function benchAdmin(payload: Payload): Promise<User> {
  const { docs } = await payload.find({
    collection: collectionSlugs.users,
    where: { email: { equals: BENCH_ADMIN.email } },
    limit: 1,
    depth: 0,
  })
  if (!docs[0]) throw new Error(`the corpus has no user ${BENCH_ADMIN.email}`)
  return docs[0] as User
}

/**
 * A new approved story; its id. Made as the seed makes its stories: the section's review
 * levels (初审 to 终审) are signed by different people and are not what the benchmarks measure,
 * so the story is saved approved with the seed's context. What is timed after it (the publish,
 * the schedule, the withdrawal) is the bench admin's, workflow enforced.
 */
export async function saveApproved({
  payload,
  data,
}: {
  payload: Payload
  data: Pick<Story, 'title' | 'slug' | 'summary' | 'section' | 'body'> & Partial<Story>
}): Promise<number> {
  const created = await payload.create({
    collection: collectionSlugs.stories,
    data: { ...data, stage: 'approved' },
    draft: true,
    context: { isSeed: true },
  })
  return created.id
}
