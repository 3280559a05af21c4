import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pendingSchedules } from '../../cms/jobs/storySchedule.ts'
import { checkStory, isBlocking } from '../../cms/publishing/checks/checkStory.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
const now = new Date('2026-11-01T02:00:00Z')

beforeAll(async () => {
  kitchen = await startTestKitchen()
})

afterAll(async () => {
  await kitchen?.cleanup()
})

async function countAll(): Promise<Record<string, number>> {
  const { payload } = kitchen
  const counts: Record<string, number> = {}
  for (const collection of Object.values(collectionSlugs)) {
    counts[collection] = (await payload.count({ collection })).totalDocs
  }
  counts.published = (
    await payload.count({ collection: collectionSlugs.stories, where: { _status: { equals: 'published' } } })
  ).totalDocs
  counts.schedules = (
    await payload.count({ collection: 'payload-jobs', where: { taskSlug: { equals: 'storySchedule' } } })
  ).totalDocs
  return counts
}

describe('demo content', () => {
  it('creates a newsroom: an admin, sections, people and stories in every state', async () => {
    const result = await seedDemoContent({ payload: kitchen.payload, now, adminPassword: 'demo-password-1' })
    expect(result.admin).toEqual({ email: 'admin@hongyan.local', generatedPassword: undefined })
    const counts = await countAll()
    expect(counts.sections).toBeGreaterThanOrEqual(5)
    expect(counts.people).toBeGreaterThanOrEqual(6)
    expect(counts.published).toBeGreaterThanOrEqual(20)
    expect((counts.stories ?? 0) - (counts.published ?? 0)).toBeGreaterThanOrEqual(4)
    expect(counts.schedules).toBe(1)
    const login = await kitchen.payload.login({
      collection: collectionSlugs.users,
      data: { email: 'admin@hongyan.local', password: 'demo-password-1' },
    })
    expect(login.user?.role).toBe('admin')
  })

  it('gives published stories real structure: headings, quotes, images with captions', async () => {
    const { docs } = await kitchen.payload.find({
      collection: collectionSlugs.stories,
      where: { _status: { equals: 'published' } },
      pagination: false,
      depth: 0,
    })
    const nodeTypes = new Set(
      docs.flatMap((story) => (story.body?.root.children ?? []).map((node) => String(node.type))),
    )
    expect([...nodeTypes].sort()).toEqual(['heading', 'list', 'paragraph', 'quote', 'upload'])
    const captions = docs.flatMap((story) =>
      (story.body?.root.children ?? [])
        .filter((node) => node.type === 'upload')
        .map((node) => (node as { fields?: { caption?: string } }).fields?.caption),
    )
    expect(captions.length).toBeGreaterThan(0)
    expect(captions.every((caption) => typeof caption === 'string' && caption.length > 0)).toBe(true)
    expect(docs.every((story) => /^[a-z0-9-]+$/.test(story.slug ?? ''))).toBe(true)
  })

  it('plans one episode of 劳动者 on the next Saturday, and gives one story a WeChat edition', async () => {
    const { payload } = kitchen
    const programmes = await payload.find({ collection: collectionSlugs.tvProgrammes, depth: 0 })
    expect(programmes.docs.map((programme) => [programme.name, programme.pace])).toEqual([['劳动者', 240]])
    const episodes = await payload.find({
      collection: collectionSlugs.tvEpisodes,
      depth: 0,
      context: { skipFit: true },
    })
    expect(episodes.docs).toHaveLength(1)
    const episode = episodes.docs[0]
    // 2026-11-01 was a Sunday: the next Saturday in Beijing is 11-07, midnight there.
    expect(episode?.airDate).toBe('2026-11-06T16:00:00.000Z')
    expect(episode?.segments?.length).toBe(2)
    expect(episode?.segments?.[0]?.shots?.some((shot) => shot.voice === 'sync')).toBe(true)
    const withEdition = await payload.find({
      collection: collectionSlugs.stories,
      where: { 'wechat.digest': { exists: true } },
      depth: 0,
    })
    expect(withEdition.docs.map((story) => story.stage)).toEqual(['published'])
  })

  it('ships a demo house term list, and every seeded story passes the blocking checks', async () => {
    const { payload } = kitchen
    const terms = await payload.find({ collection: collectionSlugs.houseTerms, pagination: false, depth: 0 })
    expect(terms.docs.map((term) => term.term)).toEqual(
      expect.arrayContaining(['全国总工会', '全国劳模', '残废人']),
    )
    expect(new Set(terms.docs.map((term) => term.severity))).toEqual(new Set(['block', 'suggest']))
    const { docs } = await payload.find({
      collection: collectionSlugs.stories,
      draft: true,
      pagination: false,
      depth: 0,
    })
    const blocking: string[] = []
    for (const story of docs) {
      const schedules = await pendingSchedules({ payload, storyId: story.id })
      const checks = await checkStory({ payload, story, now, schedules })
      blocking.push(...checks.filter(isBlocking).map((check) => `${story.title}: ${check.message.zh}`))
    }
    expect(blocking).toEqual([])
  })

  it('adds nothing when run again', async () => {
    const before = await countAll()
    const again = await seedDemoContent({ payload: kitchen.payload, now })
    expect(again.admin).toBeUndefined()
    expect(Object.values(again.created).every((count) => count === 0)).toBe(true)
    expect(await countAll()).toEqual(before)
  })
})
