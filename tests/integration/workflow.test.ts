import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story, User } from '../../cms/payload-types.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let payload: Payload
let sectionId: number
const staff: Record<'reporter' | 'otherReporter' | 'editor', User> = {} as never

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  sectionId =
    // One review level: an editor’s approval is the review (三审 is tested in reviewLevels.test.ts).
    (
      await payload.create({
        collection: collectionSlugs.sections,
        data: { name: '惠工宣讲', order: 1, reviewLevels: 1 },
      })
    ).id
  const account = (name: string, role: User['role']) =>
    payload.create({
      collection: collectionSlugs.users,
      data: { email: `${name}@hongyan.test`, password: 'a-long-test-password', name, role },
    })
  await account('admin', 'admin')
  staff.reporter = await account('reporter', 'reporter')
  staff.otherReporter = await account('other', 'reporter')
  staff.editor = await account('editor', 'editor')
})

afterAll(async () => {
  await kitchen?.cleanup()
})

const as = (user: User) => ({ user, overrideAccess: false })
const bodyOf = (words: string) => savedState(root(paragraph(text(words)))) as unknown as Story['body']

async function draftBy(user: User, title: string): Promise<Story> {
  return payload.create({
    collection: collectionSlugs.stories,
    // A body of words: the pre-publication check refuses to approve an empty story.
    data: {
      title,
      section: sectionId,
      body: bodyOf(`${title}。正文。`),
      internalNotes: '采访对象要求不公开电话',
    },
    draft: true,
    ...as(user),
  })
}

function move(user: User, story: Story, data: Partial<Story>, { publish = false } = {}): Promise<Story> {
  return payload.update({
    collection: collectionSlugs.stories,
    id: story.id,
    data: { ...data, ...(publish ? { _status: 'published' as const } : {}) },
    draft: !publish,
    ...as(user),
  })
}

async function publicTitles(): Promise<string[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    overrideAccess: false,
    pagination: false,
  })
  return docs.map((doc) => doc.title)
}

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(error, 'the move should have been refused').toBeInstanceOf(Error)
  return JSON.stringify((error as { data?: unknown }).data ?? (error as Error).message)
}

describe('a story’s life', () => {
  it('goes from a reporter’s draft through review to publication, recording who and when', async () => {
    const draft = await draftBy(staff.reporter, '工会法律援助进园区')
    expect(draft.stage).toBe('draft')
    const submitted = await move(staff.reporter, draft, { stage: 'in_review' })
    expect(submitted.stage).toBe('in_review')
    const approved = await move(staff.editor, submitted, { stage: 'approved' })
    const published = await move(staff.editor, approved, {}, { publish: true })
    expect(published.stage).toBe('published')
    expect(published.publishedAt).toBeTruthy()
    const history = (published.stageHistory ?? []).map((change) => [
      change.from,
      change.to,
      typeof change.by === 'object' ? change.by?.id : change.by,
    ])
    expect(history).toEqual([
      ['draft', 'draft', staff.reporter.id],
      ['draft', 'in_review', staff.reporter.id],
      ['in_review', 'approved', staff.editor.id],
      ['approved', 'published', staff.editor.id],
    ])
    expect(await publicTitles()).toContain('工会法律援助进园区')
  })

  it('refuses a reporter approving, and a draft jumping straight to publication, in plain words', async () => {
    const draft = await draftBy(staff.reporter, '夜班公交司机的一天')
    const submitted = await move(staff.reporter, draft, { stage: 'in_review' })
    expect(await refusal(move(staff.reporter, submitted, { stage: 'approved' }))).toContain('您的角色无权')
    const other = await draftBy(staff.editor, '未经审核的快讯')
    expect(await refusal(move(staff.editor, other, {}, { publish: true }))).toContain(
      '不能从“草稿”直接改为“已发布”',
    )
    expect(await publicTitles()).not.toContain('未经审核的快讯')
  })

  it('sends a story back to its author only with a reason, kept in the history; the author recalls without one', async () => {
    const draft = await draftBy(staff.reporter, '退回修改的稿件')
    const submitted = await move(staff.reporter, draft, { stage: 'in_review' })
    expect(await refusal(move(staff.editor, submitted, { stage: 'draft' }))).toContain('退回修改须写明原因')
    const sentBack = await move(staff.editor, submitted, {
      stage: 'draft',
      stageNote: '导语太长，请压到一百字内',
    })
    expect(sentBack.stageHistory?.at(-1)).toMatchObject({
      from: 'in_review',
      to: 'draft',
      note: '导语太长，请压到一百字内',
    })
    expect(sentBack).not.toHaveProperty('stageNote', '导语太长，请压到一百字内')
    const again = await move(staff.reporter, sentBack, { stage: 'in_review' })
    const recalled = await move(staff.reporter, again, { stage: 'draft' })
    expect(recalled.stageHistory?.at(-1)).toMatchObject({ from: 'in_review', to: 'draft', note: null })
  })

  it('lets reporters edit only their own unpublished stories', async () => {
    const mine = await draftBy(staff.reporter, '职工书屋新到一批技术书')
    await expect(move(staff.otherReporter, mine, { summary: '改别人的稿' })).rejects.toThrow()
    const approved = await move(staff.editor, await move(staff.reporter, mine, { stage: 'in_review' }), {
      stage: 'approved',
    })
    await expect(move(staff.reporter, approved, { summary: '审定后再改' })).rejects.toThrow()
  })

  it('publishes a dated correction note that readers see', async () => {
    const story = await publishedStory('技能大赛成绩公布')
    const corrected = await move(
      staff.editor,
      story,
      { corrections: [{ note: '原稿中第三名选手单位有误，已更正。' }] },
      { publish: true },
    )
    expect(corrected.stage).toBe('corrected')
    const seen = await payload.findByID({
      collection: collectionSlugs.stories,
      id: story.id,
      overrideAccess: false,
    })
    expect(seen.corrections?.[0]?.note).toBe('原稿中第三名选手单位有误，已更正。')
    expect(seen.corrections?.[0]?.at).toBeTruthy()
  })

  it('withdraws only with a reason, and then the public sees nothing of it', async () => {
    const story = await publishedStory('将被撤回的报道')
    expect(await refusal(move(staff.editor, story, { stage: 'withdrawn' }, { publish: true }))).toContain(
      '撤稿原因',
    )
    await move(
      staff.editor,
      story,
      { stage: 'withdrawn', withdrawnReason: '当事人信息有误' },
      { publish: true },
    )
    expect(await publicTitles()).not.toContain('将被撤回的报道')
    await expect(
      payload.findByID({ collection: collectionSlugs.stories, id: story.id, overrideAccess: false }),
    ).rejects.toThrow()
  })

  it('refuses to delete a published story but deletes a draft', async () => {
    const story = await publishedStory('不能删除的报道')
    expect(
      await refusal(
        payload.delete({ collection: collectionSlugs.stories, id: story.id, ...as(staff.editor) }),
      ),
    ).toContain('撤稿')
    const draft = await draftBy(staff.editor, '可以删除的草稿')
    await payload.delete({ collection: collectionSlugs.stories, id: draft.id, ...as(staff.editor) })
    await expect(payload.findByID({ collection: collectionSlugs.stories, id: draft.id })).rejects.toThrow()
  })
})

describe('what the public sees', () => {
  it('nothing of an embargoed story before its time, and no internal fields after', async () => {
    const story = await publishedStory('禁发中的劳模名单')
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString()
    await move(staff.editor, story, { embargoUntil: future }, { publish: true })
    expect(await publicTitles()).not.toContain('禁发中的劳模名单')
    await move(
      staff.editor,
      story,
      { embargoUntil: new Date(Date.now() - 1000).toISOString() },
      { publish: true },
    )
    expect(await publicTitles()).toContain('禁发中的劳模名单')
    const seen = await payload.findByID({
      collection: collectionSlugs.stories,
      id: story.id,
      overrideAccess: false,
    })
    for (const hidden of ['embargoUntil', 'internalNotes', 'createdBy', 'withdrawnReason']) {
      expect(seen, hidden).not.toHaveProperty(hidden)
    }
    // Payload answers a hidden array with an empty one: no entry of the history leaks.
    expect(seen.stageHistory ?? []).toEqual([])
  })
})

async function publishedStory(title: string): Promise<Story> {
  // A reporter's: nobody reviews a story they wrote.
  const draft = await draftBy(staff.reporter, title)
  const approved = await move(staff.editor, await move(staff.reporter, draft, { stage: 'in_review' }), {
    stage: 'approved',
  })
  return move(staff.editor, approved, {}, { publish: true })
}

describe('scheduled publishing', () => {
  it('has no schedule drawer of Payload’s own: its task is gone, and the schedule API is the one way in', async () => {
    const taskSlugs = (payload.config.jobs.tasks ?? []).map((task) => task.slug)
    expect(taskSlugs).toContain('storySchedule')
    expect(taskSlugs).not.toContain('schedulePublish')
    await expect(
      payload.jobs.queue({ task: 'schedulePublish' as 'storySchedule', input: {} as never }),
    ).rejects.toThrow()
  })

  it('publishes a story scheduled through the schedule API once its time has come, not before', async () => {
    const draft = await draftBy(staff.reporter, '五一劳动奖章名单将于明日公布')
    const approved = await move(staff.editor, await move(staff.reporter, draft, { stage: 'in_review' }), {
      stage: 'approved',
    })
    const { token } = await payload.login({
      collection: collectionSlugs.users,
      data: { email: 'editor@hongyan.test', password: 'a-long-test-password' },
    })
    const answer = await kitchen.api.rest.POST(
      new Request(`http://localhost/api/stories/${approved.id}/schedule`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
        body: JSON.stringify({ action: 'publish', at: new Date(Date.now() + 60 * 60_000).toISOString() }),
      }),
      { params: Promise.resolve({ slug: ['stories', String(approved.id), 'schedule'] }) },
    )
    expect(answer.status).toBe(201)
    const { schedule } = (await answer.json()) as { schedule: { id: string } }
    await payload.jobs.run()
    expect(await publicTitles()).not.toContain('五一劳动奖章名单将于明日公布')
    // Its time comes (the job's time moved to now, rather than the test waiting for it).
    await payload.update({
      collection: 'payload-jobs',
      id: schedule.id,
      data: { waitUntil: new Date().toISOString() },
    })
    await payload.jobs.run()
    expect(await publicTitles()).toContain('五一劳动奖章名单将于明日公布')
    const story = await payload.findByID({ collection: collectionSlugs.stories, id: approved.id })
    expect(story.stage).toBe('published')
    expect(story.stageHistory?.at(-1)).toMatchObject({ from: 'scheduled', to: 'published', by: null })
  })
})

describe('the audit log', () => {
  it('records who created, moved and published a story, and when', async () => {
    const draft = await draftBy(staff.reporter, '审计记录里的一篇稿件')
    const submitted = await move(staff.reporter, draft, { stage: 'in_review' })
    const approved = await move(staff.editor, submitted, { stage: 'approved' })
    await move(staff.editor, approved, {}, { publish: true })
    const { docs } = await payload.find({
      collection: collectionSlugs.auditLog,
      where: { and: [{ collection: { equals: 'stories' } }, { docId: { equals: String(draft.id) } }] },
      sort: 'at',
      depth: 0,
      ...as(staff.editor),
    })
    expect(docs.map((entry) => [entry.action, entry.user])).toEqual([
      ['created', staff.reporter.id],
      ['moved', staff.reporter.id],
      // The approval is the review's (one level's) signature.
      ['signed', staff.editor.id],
      ['published', staff.editor.id],
    ])
    expect(docs.every((entry) => entry.versionId && entry.at)).toBe(true)
    expect(docs.at(-1)?.detail).toMatchObject({
      title: '审计记录里的一篇稿件',
      from: 'approved',
      to: 'published',
    })
  })

  it('is readable by editors, hidden from reporters and writable by no one', async () => {
    const [entry] = (
      await payload.find({ collection: collectionSlugs.auditLog, limit: 1, ...as(staff.editor) })
    ).docs
    expect(entry).toBeDefined()
    const id = entry?.id ?? 0
    await expect(
      payload.find({ collection: collectionSlugs.auditLog, ...as(staff.reporter) }),
    ).rejects.toThrow()
    await expect(
      payload.create({
        collection: collectionSlugs.auditLog,
        data: { action: 'deleted', collection: 'stories', docId: '1', at: new Date().toISOString() },
        ...as(staff.editor),
      }),
    ).rejects.toThrow()
    await expect(
      payload.update({
        collection: collectionSlugs.auditLog,
        id,
        data: { action: 'edited' },
        ...as(staff.editor),
      }),
    ).rejects.toThrow()
    await expect(
      payload.delete({ collection: collectionSlugs.auditLog, id, ...as(staff.editor) }),
    ).rejects.toThrow()
    const unchanged = await payload.findByID({ collection: collectionSlugs.auditLog, id })
    expect(unchanged.action).toBe(entry?.action)
  })
})
