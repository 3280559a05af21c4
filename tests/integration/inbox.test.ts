import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Notification, Story, User } from '../../cms/payload-types.ts'
import { plateInBulk } from '../../cms/publishing/plate/plateInBulk.ts'
import { readPublishedPage } from '../../cms/publishing/plate/readPublishedStories.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * 通知 and 稿件意见 through the real APIs: who reads which notifications (REST and GraphQL),
 * what the desk's actions and a comment's @mentions put in whose inbox, and who may write and
 * read comments (never the public, never an outlet).
 */
type Who = 'admin' | 'reporter' | 'namesake' | 'otherReporter' | 'editor' | 'deskHead'
const names: Record<Who, string> = {
  admin: '管理员',
  reporter: '王晓燕',
  // A shorter name that starts the same: "@王晓燕" must not mention 王晓.
  namesake: '王晓',
  otherReporter: '刘记者',
  editor: '李编辑',
  deskHead: '张主任',
}
const roleOf: Record<Who, User['role']> = {
  admin: 'admin',
  reporter: 'reporter',
  namesake: 'reporter',
  otherReporter: 'reporter',
  editor: 'editor',
  deskHead: 'deskHead',
}
const password = 'a-long-test-password'

let kitchen: TestKitchen
let payload: Payload
let sectionId: number
const users = {} as Record<Who, User>
const tokens = {} as Record<Who, string>

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  sectionId = (
    await payload.create({ collection: collectionSlugs.sections, data: { name: '职工生活', order: 1 } })
  ).id
  for (const who of Object.keys(names) as Who[]) {
    const email = `${who}@inbox.test`
    users[who] = await payload.create({
      collection: collectionSlugs.users,
      data: { email, password, name: names[who], role: roleOf[who] },
    })
    tokens[who] = (await payload.login({ collection: 'users', data: { email, password } })).token ?? ''
  }
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

const as = (who: Who) => ({ user: users[who], overrideAccess: false })

async function draftBy(who: Who, title: string): Promise<Story> {
  return payload.create({
    collection: collectionSlugs.stories,
    data: {
      title,
      section: sectionId,
      body: savedState(root(paragraph(text(`${title}。正文。`)))) as unknown as Story['body'],
    },
    draft: true,
    ...as(who),
  })
}

function move(who: Who, id: number, data: Partial<Story>, { publish = false } = {}): Promise<Story> {
  return payload.update({
    collection: collectionSlugs.stories,
    id,
    data: { ...data, ...(publish ? { _status: 'published' as const } : {}) },
    draft: !publish,
    ...as(who),
  })
}

async function inboxOf(who: Who): Promise<Notification[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.notifications,
    where: { recipient: { equals: users[who].id } },
    sort: 'createdAt',
    depth: 0,
    pagination: false,
  })
  return docs
}

async function rest(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  who?: Who,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (who) headers.authorization = `JWT ${tokens[who]}`
  const response = await kitchen.api.rest[method](
    new Request(`http://localhost/api/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug: path.split('?')[0]?.split('/') ?? [] }) },
  )
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

async function graphql(
  who: Who | undefined,
  query: string,
): Promise<{ data: Record<string, unknown> | null; errors?: { message: string }[] }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (who) headers.authorization = `JWT ${tokens[who]}`
  const response = await kitchen.api.graphql(
    new Request('http://localhost/api/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query }),
    }),
  )
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null
    errors?: { message: string }[]
  }
  return { data: body.data ?? null, errors: body.errors }
}

describe('通知: what the desk does reaches the author', () => {
  it('a send-back tells the author why; a recall by the author tells nobody', async () => {
    const story = await draftBy('reporter', '环卫驿站开张')
    await move('reporter', story.id, { stage: 'in_review' })
    await move('editor', story.id, { stage: 'draft', stageNote: '导语太长，请压到一百字内' })
    const inbox = await inboxOf('reporter')
    expect(inbox.map(({ kind, text, actor, story: about }) => ({ kind, text, actor, about }))).toEqual([
      {
        kind: 'sentBack',
        text: '李编辑 退回了《环卫驿站开张》：导语太长，请压到一百字内',
        actor: users.editor.id,
        about: story.id,
      },
    ])
    expect(inbox[0]?.readAt).toBeFalsy()
    // The author's own recall (no reason, their own move) is nobody's news.
    await move('reporter', story.id, { stage: 'in_review' })
    await move('reporter', story.id, { stage: 'draft' })
    expect(await inboxOf('reporter')).toHaveLength(1)
    expect(await inboxOf('editor')).toHaveLength(0)
  })

  it('each review signature and the publication tell the author, with the note', async () => {
    const story = await draftBy('reporter', '夜班公交司机的一天')
    await move('reporter', story.id, { stage: 'in_review' })
    await move('editor', story.id, { stage: 'approved', stageNote: '数字已核' })
    await move('deskHead', story.id, { stage: 'approved' })
    await move('editor', story.id, {}, { publish: true })
    const texts = (await inboxOf('reporter'))
      .filter((notification) => notification.story === story.id)
      .map(({ kind, text }) => `${kind} ${text}`)
    expect(texts).toEqual([
      'signed 李编辑 初审通过《夜班公交司机的一天》：数字已核',
      'signed 张主任 复审通过《夜班公交司机的一天》',
      'published 《夜班公交司机的一天》已发布（李编辑 发布）',
    ])
  })

  it('never tells anyone about their own action', async () => {
    const before = (await inboxOf('editor')).length
    const story = await draftBy('editor', '编辑自己写的快讯')
    await move('editor', story.id, { stage: 'in_review' })
    // Nobody reviews their own story: an admin stands in for 初审.
    await move('admin', story.id, { stage: 'approved' })
    await move('deskHead', story.id, { stage: 'approved' })
    await move('editor', story.id, {}, { publish: true })
    // Only the others' signatures are news to the editor: not the submission, not the publication.
    expect((await inboxOf('editor')).slice(before).map(({ kind, text }) => `${kind} ${text}`)).toEqual([
      'signed 管理员 初审通过《编辑自己写的快讯》',
      'signed 张主任 复审通过《编辑自己写的快讯》',
    ])
  })
})

describe('通知: a user reads and marks only their own', () => {
  let mine: Notification
  let theirs: Notification

  beforeAll(async () => {
    const story = await draftBy('otherReporter', '别人的稿件')
    await move('otherReporter', story.id, { stage: 'in_review' })
    await move('editor', story.id, { stage: 'draft', stageNote: '请补充现场照片' })
    theirs = (await inboxOf('otherReporter'))[0] as Notification
    mine = (await inboxOf('reporter'))[0] as Notification
    expect(theirs && mine).toBeTruthy()
  })

  it('over REST: lists only the caller’s own, refuses another’s, anonymous nothing', async () => {
    const listed = await rest('GET', 'notifications?limit=100&depth=0', 'reporter')
    expect(listed.status).toBe(200)
    const docs = listed.json.docs as Notification[]
    expect(docs.length).toBeGreaterThan(0)
    expect(docs.every((doc) => doc.recipient === users.reporter.id)).toBe(true)
    // Even an admin reads only their own inbox.
    const adminList = await rest('GET', 'notifications?limit=100&depth=0', 'admin')
    expect(adminList.json.docs).toEqual([])
    expect((await rest('GET', `notifications/${theirs.id}`, 'reporter')).status).toBe(404)
    const anonymous = await rest('GET', 'notifications')
    expect(anonymous.status).toBe(403)
    expect(JSON.stringify(anonymous.json)).toContain('errors')
    const unread = await rest('GET', 'notifications/count?where[readAt][exists]=false', 'otherReporter')
    expect(unread.json.totalDocs).toBe(1)
  })

  it('over GraphQL: the same', async () => {
    const list = await graphql('reporter', '{ Notifications(limit: 100) { docs { id text } } }')
    const ids = (list.data?.Notifications as { docs: { id: number }[] } | undefined)?.docs.map(
      (doc) => doc.id,
    )
    expect(ids).toContain(mine.id)
    expect(ids).not.toContain(theirs.id)
    const other = await graphql('reporter', `{ Notification(id: ${theirs.id}) { id text } }`)
    expect(other.data?.Notification ?? null).toBeNull()
    const anonymous = await graphql(undefined, '{ Notifications { docs { id } } }')
    expect(anonymous.errors?.length).toBeGreaterThan(0)
    const forged = await graphql(
      'reporter',
      `mutation { createNotification(data: { recipient: ${users.reporter.id}, kind: mention, text: "假通知" }) { id } }`,
    )
    expect(forged.errors?.length).toBeGreaterThan(0)
  })

  it('marks read (readAt only); nobody creates, deletes or rewrites one over the API', async () => {
    const at = '2026-12-06T01:14:00.000Z'
    const marked = await rest('PATCH', `notifications/${mine.id}`, 'reporter', {
      readAt: at,
      text: '改写',
      recipient: users.otherReporter.id,
    })
    expect(marked.status).toBe(200)
    const stored = await payload.findByID({
      collection: collectionSlugs.notifications,
      id: mine.id,
      depth: 0,
    })
    expect(stored).toMatchObject({ readAt: at, text: mine.text, recipient: users.reporter.id })
    // A later save without the time (the edit view's 保存) leaves it read, at the first reading.
    expect((await rest('PATCH', `notifications/${mine.id}`, 'reporter', { readAt: null })).status).toBe(200)
    expect((await payload.findByID({ collection: collectionSlugs.notifications, id: mine.id })).readAt).toBe(
      at,
    )
    const another = await rest('PATCH', `notifications/${theirs.id}`, 'reporter', { readAt: at })
    expect(another.status).toBe(403)
    expect(
      (await payload.findByID({ collection: collectionSlugs.notifications, id: theirs.id })).readAt,
    ).toBeFalsy()
    expect((await rest('DELETE', `notifications/${mine.id}`, 'reporter')).status).toBe(403)
    const created = await rest('POST', 'notifications', 'admin', {
      recipient: users.reporter.id,
      kind: 'mention',
      text: '假通知',
    })
    expect(created.status).toBe(403)
    // 全部标为已读: a bulk PATCH reaches only the caller's own.
    const all = await rest('PATCH', 'notifications?where[readAt][exists]=false', 'otherReporter', {
      readAt: at,
    })
    expect(all.status).toBe(200)
    expect(
      (await rest('GET', 'notifications/count?where[readAt][exists]=false', 'otherReporter')).json.totalDocs,
    ).toBe(0)
  })
})

describe('稿件意见', () => {
  let story: Story

  beforeAll(async () => {
    story = await draftBy('reporter', '职工书屋新到一批技术书')
  })

  it('stamps the writer as author whatever is sent, and tells each colleague mentioned', async () => {
    const before = (await inboxOf('reporter')).length
    const body = `@王晓燕 第二段的数字请再核一遍，@张主任 这篇周五能上吗？@李编辑 自己提到自己不通知。${'补充说明'.repeat(10)}`
    const posted = await rest('POST', 'story-comments', 'editor', {
      story: story.id,
      body: `  ${body}  `,
      author: users.admin.id,
      mentions: [users.otherReporter.id],
    })
    expect(posted.status).toBe(201)
    const doc = (posted.json as { doc: { id: number } }).doc
    const stored = await payload.findByID({ collection: collectionSlugs.storyComments, id: doc.id, depth: 0 })
    expect(stored.author).toBe(users.editor.id)
    expect(stored.body).toBe(body)
    // The writer's own name counts as a mention, but is not news to them (below).
    expect([...(stored.mentions ?? [])].sort()).toEqual(
      [users.reporter.id, users.deskHead.id, users.editor.id].sort(),
    )
    const fresh = (await inboxOf('reporter')).slice(before)
    expect(fresh.map(({ kind, text, actor }) => ({ kind, text, actor }))).toEqual([
      {
        kind: 'mention',
        text: `李编辑 在《职工书屋新到一批技术书》的意见中提到了你：${body.slice(0, 60)}…`,
        actor: users.editor.id,
      },
    ])
    expect((await inboxOf('deskHead')).at(-1)?.kind).toBe('mention')
    expect(await inboxOf('namesake')).toHaveLength(0)
    expect((await inboxOf('editor')).some((notification) => notification.kind === 'mention')).toBe(false)
  })

  it('is for staff only: anonymous callers are refused with a reason, over REST and GraphQL', async () => {
    await rest('POST', 'story-comments', 'reporter', { story: story.id, body: '已改。' })
    expect((await rest('GET', `story-comments?where[story][equals]=${story.id}`, 'reporter')).status).toBe(
      200,
    )
    const read = await rest('GET', 'story-comments')
    expect(read.status).toBe(403)
    expect((read.json.errors as { message: string }[])[0]?.message).toBeTruthy()
    const write = await rest('POST', 'story-comments', undefined, { story: story.id, body: '路人甲' })
    expect(write.status).toBe(403)
    expect((write.json.errors as { message: string }[])[0]?.message).toBeTruthy()
    const viaGraphql = await graphql(undefined, '{ StoryComments { docs { id body } } }')
    expect(viaGraphql.errors?.length).toBeGreaterThan(0)
    expect(JSON.stringify(viaGraphql.data ?? {})).not.toContain('已改')
  })

  it('refuses a body over 2000 characters, or an empty one, in plain words', async () => {
    const tooLong = await rest('POST', 'story-comments', 'editor', {
      story: story.id,
      body: '长'.repeat(2001),
    })
    expect(tooLong.status).toBe(400)
    expect(JSON.stringify(tooLong.json)).toContain('意见最多 2000 字')
    const empty = await rest('POST', 'story-comments', 'editor', { story: story.id, body: '   ' })
    expect(empty.status).toBe(400)
    expect(JSON.stringify(empty.json)).toContain('请填写意见内容')
  })

  it('lets only its writer (or an admin) change or delete a comment', async () => {
    const posted = await rest('POST', 'story-comments', 'reporter', { story: story.id, body: '原话' })
    const id = (posted.json as { doc: { id: number } }).doc.id
    expect((await rest('PATCH', `story-comments/${id}`, 'editor', { body: '替人改' })).status).toBe(403)
    expect((await rest('DELETE', `story-comments/${id}`, 'otherReporter')).status).toBe(403)
    const edited = await rest('PATCH', `story-comments/${id}`, 'reporter', {
      body: '改过的话',
      author: users.editor.id,
    })
    expect(edited.status).toBe(200)
    const stored = await payload.findByID({ collection: collectionSlugs.storyComments, id, depth: 0 })
    expect(stored).toMatchObject({ body: '改过的话', author: users.reporter.id })
    expect((await rest('DELETE', `story-comments/${id}`, 'admin')).status).toBe(200)
  })

  it('never reaches an outlet: the public plate of a commented story has none of it', async () => {
    const live = await draftBy('reporter', '劳模工作室开放日')
    await rest('POST', 'story-comments', 'editor', { story: live.id, body: '内部意见：标题再斟酌' })
    await move('reporter', live.id, { stage: 'in_review' })
    await move('editor', live.id, { stage: 'approved' })
    await move('deskHead', live.id, { stage: 'approved' })
    await move('editor', live.id, {}, { publish: true })
    const page = await readPublishedPage({ payload })
    const plated = page.docs.find((doc) => doc.id === live.id)
    expect(plated?.title).toBe('劳模工作室开放日')
    const bulk = []
    for await (const batch of plateInBulk({ payload, ids: [live.id] })) bulk.push(...batch)
    expect(bulk).toHaveLength(1)
    const everything = JSON.stringify({ plated, bulk })
    expect(everything).not.toContain('内部意见')
    expect(everything).not.toContain('story-comments')
    const publicStory = await rest('GET', `stories/${live.id}?depth=2`)
    expect(publicStory.status).toBe(200)
    expect(JSON.stringify(publicStory.json)).not.toContain('内部意见')
  })
})

describe('通知: a schedule fired late or not at all', () => {
  async function scheduledBy(who: Who, title: string, at: Date): Promise<number> {
    const story = await draftBy('reporter', title)
    await move('reporter', story.id, { stage: 'in_review' })
    await move('editor', story.id, { stage: 'approved' })
    await move('deskHead', story.id, { stage: 'approved' })
    const asked = await rest('POST', `stories/${story.id}/schedule`, who, {
      action: 'publish',
      at: at.toISOString(),
    })
    expect(asked.status).toBe(201)
    return story.id
  }

  const about = async (who: Who, storyId: number) =>
    (await inboxOf(who)).filter((notification) => notification.story === storyId).map(({ kind }) => kind)

  it('a run more than a minute late tells the author and whoever scheduled it', async () => {
    const id = await scheduledBy('deskHead', '迟到的定时稿件', new Date(Date.now() - 150_000))
    await payload.jobs.run()
    expect(await about('reporter', id)).toEqual(['signed', 'signed', 'published', 'scheduleLate'])
    const [late] = (await inboxOf('deskHead')).filter((notification) => notification.story === id)
    expect(late?.kind).toBe('scheduleLate')
    expect(late?.text).toMatch(
      /^《迟到的定时稿件》定时发布迟了 3 分钟（预定 \d+月\d+日 \d\d:\d\d，北京时间）$/,
    )
  })

  it('a run that could not publish tells them why', async () => {
    const id = await scheduledBy('editor', '没发出去的定时稿件', new Date(Date.now() + 300))
    // Taken out of the schedule by server code meanwhile: the run stands down.
    await payload.update({
      collection: collectionSlugs.stories,
      id,
      data: { stage: 'approved' },
      draft: true,
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    await payload.jobs.run()
    const [failed] = (await inboxOf('editor')).filter((notification) => notification.story === id)
    expect(failed?.kind).toBe('scheduleFailed')
    expect(failed?.text).toContain('《没发出去的定时稿件》定时发布（预定')
    expect(failed?.text).toContain('未执行：story is approved, no longer scheduled')
    expect(await about('reporter', id)).toContain('scheduleFailed')
  })
})
