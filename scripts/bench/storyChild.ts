import type { Payload } from 'payload'
import { STORY_SCHEDULE_TASK, type StoryScheduleInput } from '../../cms/jobs/storySchedule.ts'
import type { Story } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { SCHEDULE_API_CONTEXT_KEY } from '../../cms/workflow/stages.ts'
import { DEFAULT_TIME_ZONE } from '../../cms/workflow/zonedTime.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'
import { benchAdmin, saveApproved } from './benchStories.ts'

/**
 * What the publish, schedule and anchors benchmarks do to a corpus's stories, through the
 * local API as the bench admin (access and workflow enforced, side effects on):
 * - `publish <title> <slug> <section slug>`: a new story saved approved (as the seed saves
 *   its stories), then published by the bench admin; prints when the publishing save started
 *   and ended (epoch ms).
 * - `schedule <count> <title prefix> <lead ms>`: `count` approved stories scheduled, as
 *   `POST /api/stories/:id/schedule` does, for one time `lead ms` ahead; waits until the
 *   worker has published them all and prints each one's delay after its time.
 * - `retitle <id> <title>`: a published story's title changed (no site build queued: the
 *   bench builds).
 * - `withdraw <title prefix>`: withdraws the live stories a benchmark published, quietly,
 *   so the corpus's public stories stay the same (published stories cannot be deleted).
 */
runCli(async () => {
  const [command = '', ...args] = process.argv.slice(2)
  const payload = await loadMigratedPayload()
  try {
    const result = await (commands[command] ?? unknown(command))({ payload, args })
    console.log(JSON.stringify(result))
  } finally {
    await closePayload(payload)
  }
})

type Command = (options: { payload: Payload; args: string[] }) => Promise<unknown>

const unknown = (command: string): never => {
  throw new Error(`storyChild: unknown command "${command}"`)
}

const commands: Record<string, Command> = {
  publish: async ({ payload, args: [title = '', slug = '', sectionSlug = ''] }) => {
    const user = await benchAdmin(payload)
    const section = await payload.find({
      collection: collectionSlugs.sections,
      where: { slug: { equals: sectionSlug } },
      limit: 1,
      depth: 0,
    })
    const sectionId = section.docs[0]?.id
    if (!sectionId) throw new Error(`there is no section "${sectionSlug}"`)
    const id = await approvedStory({ payload, title, slug, sectionId })
    const startedAt = Date.now()
    await payload.update({
      collection: collectionSlugs.stories,
      id,
      data: { stage: 'published', _status: 'published' },
      user,
      overrideAccess: false,
    })
    return { id, startedAt, savedAt: Date.now() }
  },

  schedule: async ({ payload, args: [count = '10', prefix = '', lead = '3000'] }) => {
    const user = await benchAdmin(payload)
    const sectionId = (await payload.find({ collection: collectionSlugs.sections, limit: 1, depth: 0 }))
      .docs[0]?.id
    if (!sectionId) throw new Error('the corpus has no section')
    const stamp = Date.now()
    const ids: number[] = []
    for (let n = 0; n < Number(count); n += 1) {
      const title = `${prefix}定时发布第${n + 1}篇（${stamp}）`
      ids.push(await approvedStory({ payload, title, slug: `bench-schedule-${stamp}-${n}`, sectionId }))
    }
    // As the schedule endpoint does: the story enters `scheduled`, and a storySchedule job
    // waits until its time.
    const dueAt = new Date(Date.now() + Number(lead))
    for (const storyId of ids) {
      await payload.update({
        collection: collectionSlugs.stories,
        id: storyId,
        data: { stage: 'scheduled' },
        draft: true,
        user,
        overrideAccess: false,
        context: { [SCHEDULE_API_CONTEXT_KEY]: true },
      })
      const input: StoryScheduleInput = {
        storyId,
        action: 'publish',
        at: dueAt.toISOString(),
        timeZone: DEFAULT_TIME_ZONE,
      }
      await payload.jobs.queue({ task: STORY_SCHEDULE_TASK, input, waitUntil: dueAt })
    }
    if (Date.now() > dueAt.getTime()) throw new Error(`scheduling took longer than the lead of ${lead} ms`)
    const deadline = dueAt.getTime() + 120_000
    for (;;) {
      const { totalDocs } = await payload.count({
        collection: collectionSlugs.stories,
        where: { and: [{ id: { in: ids } }, { stage: { equals: 'published' } }] },
      })
      if (totalDocs === ids.length) break
      if (Date.now() > deadline)
        throw new Error(`only ${totalDocs} of ${ids.length} scheduled stories published`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    const runs = await payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: { story: { in: ids } },
      pagination: false,
      depth: 0,
    })
    const stories = await payload.find({
      collection: collectionSlugs.stories,
      where: { id: { in: ids } },
      pagination: false,
      depth: 0,
    })
    // Published: when the story's stage became `published` (the workflow records it).
    const delays = stories.docs.map((story) => {
      const change = (story.stageHistory ?? []).findLast((entry) => entry.to === 'published')
      return Date.parse(change?.at ?? story.updatedAt) - dueAt.getTime()
    })
    const fired = runs.docs.map((run) => Date.parse(run.firedAt ?? '') - dueAt.getTime())
    return { dueAt: dueAt.toISOString(), delays, fired }
  },

  retitle: async ({ payload, args: [id = '', title = ''] }) => {
    const story = await payload.findByID({ collection: collectionSlugs.stories, id: Number(id), depth: 0 })
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      // The slug stays: it would otherwise be made again from the new title.
      data: { title, slug: story.slug, _status: 'published' },
      context: { skipSiteBuild: true },
    })
    return { id: story.id, oldTitle: story.title }
  },

  withdraw: async ({ payload, args: [prefix = ''] }) => {
    if (!prefix) throw new Error('withdraw needs the title prefix of the bench stories')
    const { docs } = await payload.find({
      collection: collectionSlugs.stories,
      where: { and: [{ title: { like: prefix } }, { stage: { in: ['published', 'corrected'] } }] },
      pagination: false,
      depth: 0,
    })
    const mine = docs.filter((story) => story.title.startsWith(prefix))
    for (const story of mine) {
      await payload.update({
        collection: collectionSlugs.stories,
        id: story.id,
        data: {
          stage: 'withdrawn',
          _status: 'published',
          withdrawnReason: '基准测试稿件（benchmark story）',
        },
        context: { isSeed: true },
      })
    }
    return { withdrawn: mine.length }
  },
}

async function approvedStory({
  payload,
  title,
  slug,
  sectionId,
}: {
  payload: Payload
  title: string
  slug: string
  sectionId: number
}): Promise<number> {
  // A body like the corpus's: the newest published story's.
  const model = (
    await payload.find({
      collection: collectionSlugs.stories,
      where: { stage: { equals: 'published' } },
      sort: '-publishedAt',
      limit: 1,
      depth: 0,
    })
  ).docs[0]
  return saveApproved({
    payload,
    data: {
      title,
      slug,
      summary: '基准测试：编辑发稿，测量读者何时看到。',
      section: sectionId,
      body: model?.body as Story['body'],
      tags: model?.tags ?? [],
    },
  })
}
