import { randomBytes } from 'node:crypto'
import type { Payload, RequestContext } from 'payload'
import { pendingSchedules, STORY_SCHEDULE_TASK } from '../jobs/storySchedule.ts'
import { collectionSlugs } from '../slugs.ts'
import type { Role } from '../workflow/roles.ts'
import { DEFAULT_TIME_ZONE } from '../workflow/zonedTime.ts'
import { seedColumn } from './column.ts'
import { demoPeople } from './content/people.ts'
import { demoSections } from './content/sections.ts'
import { demoStories } from './content/stories.ts'
import type { DemoStory } from './content/types.ts'
import { DEMO_IMAGE_COUNT, renderDemoImage } from './demoImages.ts'
import { seedHouseTerms } from './houseTerms.ts'
import { demoBodyToLexical } from './lexical.ts'
import { seedTv } from './tv.ts'

export type SeedResult = {
  /** set when this run created the first admin; the password only when it was generated */
  admin?: { email: string; generatedPassword?: string }
  /** the demo newsroom's staff, created with the first admin and with the same password */
  staff?: { email: string; name: string; role: Role }[]
  created: {
    sections: number
    people: number
    media: number
    stories: number
    schedules: number
    columns: number
    columnIssues: number
    tvProgrammes: number
    tvEpisodes: number
    houseTerms: number
  }
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Tells hooks (site rebuilds, webhooks) that this write is the seed, not an editor. */
export const seedContext: RequestContext = { isSeed: true }

/**
 * Creates the demo newsroom: an admin (when there is no user yet), sections, people,
 * images and stories. Each item is looked up first, so running it again adds only what
 * is missing and never duplicates.
 */
export async function seedDemoContent({
  payload,
  now = new Date(),
  adminEmail = 'admin@hongyan.local',
  adminPassword,
}: {
  payload: Payload
  now?: Date
  adminEmail?: string
  adminPassword?: string
}): Promise<SeedResult> {
  const created: SeedResult['created'] = {
    sections: 0,
    people: 0,
    media: 0,
    stories: 0,
    schedules: 0,
    columns: 0,
    columnIssues: 0,
    tvProgrammes: 0,
    tvEpisodes: 0,
    houseTerms: 0,
  }
  const sectionIds = new Map<string, number>()
  for (const section of demoSections) {
    const { id, isNew } = await findOrCreate({
      payload,
      collection: collectionSlugs.sections,
      where: { slug: { equals: section.slug } },
      data: {
        name: section.name,
        slug: section.slug,
        description: section.description,
        order: section.order,
        ...(section.reviewLevels ? { reviewLevels: section.reviewLevels } : {}),
      },
    })
    sectionIds.set(section.key, id)
    if (isNew) created.sections += 1
  }

  const imageIds: number[] = []
  for (let index = 0; index < DEMO_IMAGE_COUNT; index += 1) {
    const { id, isNew } = await findOrCreateDemoImage({ payload, index })
    imageIds.push(id)
    if (isNew) created.media += 1
  }
  const imageId = (index: number): number => {
    const id = imageIds[index % imageIds.length]
    if (id === undefined) throw new Error(`demo image ${index} is missing`)
    return id
  }

  const personIds = new Map<string, number>()
  for (const person of demoPeople) {
    const { id, isNew } = await findOrCreate({
      payload,
      collection: collectionSlugs.people,
      where: { name: { equals: person.name } },
      data: {
        name: person.name,
        portrait: imageId(person.portrait),
        honours: person.honours,
        workplace: person.workplace,
        trade: person.trade,
        unionBranch: person.unionBranch,
        bio: person.bio,
      },
    })
    personIds.set(person.key, id)
    if (isNew) created.people += 1
  }

  const storyIds = new Map<string, number>()
  for (const story of demoStories) {
    const sectionId = sectionIds.get(story.section)
    if (sectionId === undefined)
      throw new Error(`demo story ${story.key} names unknown section ${story.section}`)
    const { id, isNew } = await findOrCreate({
      payload,
      collection: collectionSlugs.stories,
      where: { title: { equals: story.title } },
      isDraft: story.state !== 'published',
      data: storyData({ story, now, sectionId, personIds, imageId }),
    })
    if (isNew) created.stories += 1
    storyIds.set(story.key, id)
    if (
      story.state === 'scheduled' &&
      (await isStillScheduled({ payload, id })) &&
      (await ensureSchedule({ payload, storyId: id, story, now }))
    ) {
      created.schedules += 1
    }
  }

  const column = await seedColumn({ payload, storyIds, now, context: seedContext })
  created.columns = column.columns
  created.columnIssues = column.issues
  const tv = await seedTv({ payload, storyIds, now, context: seedContext })
  created.tvProgrammes = tv.tvProgrammes
  created.tvEpisodes = tv.tvEpisodes
  created.houseTerms = await seedHouseTerms({ payload, context: seedContext })

  // Last, so that a seed that failed half-way runs again on the next start (which seeds
  // only while there is no user) and the generated password is printed then.
  const { admin, staff } = await ensureFirstAdmin({ payload, email: adminEmail, password: adminPassword })
  return { admin, staff, created }
}

function storyData({
  story,
  now,
  sectionId,
  personIds,
  imageId,
}: {
  story: DemoStory
  now: Date
  sectionId: number
  personIds: Map<string, number>
  imageId: (index: number) => number
}): Record<string, unknown> {
  const people = story.people.map((key) => {
    const id = personIds.get(key)
    if (id === undefined) throw new Error(`demo story ${story.key} names unknown person ${key}`)
    return id
  })
  const when = story.state === 'published' ? -story.daysFromNow : story.daysFromNow
  return {
    kicker: story.kicker,
    title: story.title,
    subtitle: story.subtitle,
    summary: story.summary,
    ...(story.wechat ? { wechat: story.wechat } : {}),
    body: demoBodyToLexical({ blocks: story.body, imageIds: imageId }),
    heroImage: imageId(story.hero),
    byline: { text: story.bylineText },
    source: story.source,
    dateline: story.dateline,
    section: sectionId,
    tags: story.tags,
    people,
    publishedAt: story.state === 'draft' ? undefined : new Date(now.getTime() + when * DAY_MS).toISOString(),
    _status: story.state === 'published' ? 'published' : 'draft',
    stage: story.state,
  }
}

async function ensureFirstAdmin({
  payload,
  email,
  password,
}: {
  payload: Payload
  email: string
  password?: string
}): Promise<Pick<SeedResult, 'admin' | 'staff'>> {
  const { totalDocs } = await payload.count({ collection: collectionSlugs.users, overrideAccess: true })
  if (totalDocs > 0) return {}
  const generatedPassword = password ? undefined : randomBytes(12).toString('base64url')
  // The demo newsroom's desk, one account a role, so a newcomer can walk a story through
  // every review level: created first, as the admin is what marks the seed done.
  const domain = email.includes('@') ? email.slice(email.indexOf('@') + 1) : 'hongyan.local'
  const staff = demoStaff.map((member) => ({ ...member, email: `${member.local}@${domain}` }))
  for (const member of staff) {
    await payload.create({
      collection: collectionSlugs.users,
      data: {
        email: member.email,
        password: password ?? generatedPassword,
        name: member.name,
        role: member.role,
      },
      overrideAccess: true,
      context: seedContext,
    })
  }
  await payload.create({
    collection: collectionSlugs.users,
    data: { email, password: password ?? generatedPassword, name: '总编室', role: 'admin' },
    overrideAccess: true,
    context: seedContext,
  })
  return {
    admin: { email, generatedPassword },
    staff: staff.map(({ email: address, name, role }) => ({ email: address, name, role })),
  }
}

const demoStaff: { local: string; name: string; role: Role }[] = [
  { local: 'reporter', name: '王晓燕', role: 'reporter' },
  { local: 'editor', name: '李明', role: 'editor' },
  { local: 'deskhead', name: '张建国', role: 'deskHead' },
  { local: 'chief', name: '陈总编', role: 'chief' },
]

async function findOrCreate({
  payload,
  collection,
  where,
  data,
  isDraft = false,
}: {
  payload: Payload
  collection: 'sections' | 'people' | 'stories'
  where: Record<string, unknown>
  data: Record<string, unknown>
  isDraft?: boolean
}): Promise<{ id: number; isNew: boolean }> {
  const found = await payload.find({
    collection,
    where: where as never,
    limit: 1,
    depth: 0,
    draft: true,
    overrideAccess: true,
    pagination: false,
  })
  const existing = found.docs[0]
  if (existing) return { id: existing.id, isNew: false }
  const doc = await payload.create({
    collection,
    data: data as never,
    draft: isDraft,
    depth: 0,
    overrideAccess: true,
    context: seedContext,
  })
  return { id: doc.id, isNew: true }
}

async function findOrCreateDemoImage({
  payload,
  index,
}: {
  payload: Payload
  index: number
}): Promise<{ id: number; isNew: boolean }> {
  const filename = `hongyan-demo-${String(index + 1).padStart(2, '0')}.jpg`
  // Looked up by alt text: Payload renames a file whose name is already taken on disk.
  const alt = `演示图片 ${index + 1}：城市、厂房与天际线的抽象构图`
  const found = await payload.find({
    collection: collectionSlugs.media,
    where: { alt: { equals: alt } },
    limit: 1,
    depth: 0,
    overrideAccess: true,
    pagination: false,
  })
  const existing = found.docs[0]
  if (existing) return { id: existing.id, isNew: false }
  const data = await renderDemoImage({ index })
  const doc = await payload.create({
    collection: collectionSlugs.media,
    data: {
      alt,
      caption: '演示图片，由鸿雁生成',
      credit: '鸿雁演示内容',
    },
    file: { data, mimetype: 'image/jpeg', name: filename, size: data.length },
    overrideAccess: true,
    context: seedContext,
  })
  return { id: doc.id, isNew: true }
}

async function isStillScheduled({ payload, id }: { payload: Payload; id: number }): Promise<boolean> {
  const story = await payload.findByID({ collection: collectionSlugs.stories, id, draft: true, depth: 0 })
  return story.stage === 'scheduled'
}

/** Queues the scheduled story's publish unless a schedule is already waiting for it. */
async function ensureSchedule({
  payload,
  storyId,
  story,
  now,
}: {
  payload: Payload
  storyId: number
  story: DemoStory
  now: Date
}): Promise<boolean> {
  if ((await pendingSchedules({ payload, storyId })).length > 0) return false
  const at = new Date(now.getTime() + story.daysFromNow * DAY_MS)
  await payload.jobs.queue({
    task: STORY_SCHEDULE_TASK,
    input: { storyId, action: 'publish', at: at.toISOString(), timeZone: DEFAULT_TIME_ZONE },
    waitUntil: at,
  })
  return true
}
