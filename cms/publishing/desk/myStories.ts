import type { Payload } from 'payload'
import type { Story, User } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import type { Stage } from '../../workflow/stages.ts'

/** One of the user's own stories and where it stands. */
export type MyStoryRow = { id: number; title: string; stage: Stage; updatedAt: string }

export const MY_STORIES_LIMIT = 20

/** 我的稿件: the stories the user created, the latest edited first (their latest version), read as the user. */
export async function myStories({ payload, user }: { payload: Payload; user: User }): Promise<MyStoryRow[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where: { createdBy: { equals: user.id } },
    sort: '-updatedAt',
    limit: MY_STORIES_LIMIT,
    draft: true,
    depth: 0,
    user,
    overrideAccess: false,
    select: { title: true, stage: true, updatedAt: true },
  })
  return docs.map((story: Pick<Story, 'id' | 'title' | 'stage' | 'updatedAt'>) => ({
    id: story.id,
    title: story.title,
    stage: story.stage ?? 'draft',
    updatedAt: story.updatedAt,
  }))
}
