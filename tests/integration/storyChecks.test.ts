import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story } from '../../cms/payload-types.ts'
import { internalLink, link, paragraph, text, upload } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { body, type CheckDesk, listed, openCheckDesk, type Role, words } from '../helpers/checkDesk.ts'

/**
 * The pre-publication check (发稿检查) on a kitchen of its own: each check with a story that
 * fails it and one that passes, through GET /api/stories/:id/checks as the sidebar reads it;
 * then the moves it guards, over REST, GraphQL and the schedule job, and the override.
 */
let desk: CheckDesk
let payload: CheckDesk['payload']

beforeAll(async () => {
  desk = await openCheckDesk()
  payload = desk.payload
}, 120_000)

afterAll(async () => {
  await desk?.cleanup()
})

describe('each check, failing and passing', () => {
  it('passes a complete story with nothing to say', async () => {
    const story = await desk.draft({ heroImage: desk.images.good, summary: '一批新书到馆。' })
    expect(await desk.checksOf(story.id)).toEqual([])
  })

  it('blocks an empty body', async () => {
    expect(listed(await desk.checksOf((await desk.draft({ body: body(paragraph()) })).id))).toEqual([
      'block body_empty body',
    ])
  })

  it('checks every image: alt text and consent block, a missing credit warns, an expiry is named', async () => {
    const pictures = (value: number, position: number) =>
      upload({ id: `img${position}`, value, caption: '图说' })
    const story = await desk.draft({
      heroImage: desk.images.noCredit,
      body: body(
        paragraph(text('正文。')),
        pictures(desk.images.noAlt, 1),
        pictures(desk.images.noConsent, 2),
        pictures(desk.images.expired, 3),
        pictures(desk.images.consented, 4),
        pictures(desk.images.good, 5),
      ),
    })
    const checks = await desk.checksOf(story.id)
    expect(listed(checks)).toEqual([
      'block image_alt_missing body',
      'block portrait_consent_missing body',
      'block portrait_consent_expired body',
      'warn image_credit_missing heroImage',
    ])
    expect(checks[0]?.message.zh).toContain('正文第 1 张图片')
    expect(checks[2]?.message.zh).toContain('肖像授权已于 2025-06-30 到期')
    expect(checks[2]?.message.en).toContain('expired on 2025-06-30')
  })

  it('blocks links to stories readers cannot open, and leaves live stories and other sites alone', async () => {
    const live = await desk.liveStory('已发布的报道')
    const withdrawn = await desk.liveStory('已撤稿的报道', 'withdrawn')
    const unpublished = await desk.draft({ title: '尚未发布的报道' })
    const linking = (value: number, words: string) =>
      internalLink({ relationTo: collectionSlugs.stories, value, children: [text(words)] })
    const story = await desk.draft({
      body: body(
        paragraph(
          text('相关：'),
          linking(live.id, '已发布'),
          linking(withdrawn.id, '已撤稿'),
          linking(unpublished.id, '未发布'),
          linking(999_999, '已删除'),
          link({ url: `/stories/${unpublished.slug}/`, id: 'l1', children: [text('按地址')] }),
          link({ url: `/stories/${live.slug}/`, id: 'l2', children: [text('按地址已发布')] }),
          link({ url: 'https://www.acftu.org/', id: 'l3', children: [text('全总官网')] }),
        ),
      ),
    })
    const checks = await desk.checksOf(story.id)
    expect(listed(checks)).toEqual([
      'block link_story_withdrawn body',
      'block link_story_unpublished body',
      'block link_story_missing body',
      'block link_story_unpublished body',
    ])
    expect(checks[0]?.message.zh).toContain('《已撤稿的报道》')
    expect(checks[1]?.message.zh).toContain('尚未发布的《尚未发布的报道》（草稿）')
  })

  it('keeps the WeChat title within 64 字: the WeChat title blocks, a long web title only warns', async () => {
    const long = '职'.repeat(65)
    expect(listed(await desk.checksOf((await desk.draft({ wechat: { title: long } })).id))).toEqual([
      'block wechat_title_too_long wechat.title',
    ])
    expect(listed(await desk.checksOf((await desk.draft({ title: long })).id))).toEqual([
      'warn wechat_title_too_long wechat.title',
    ])
    expect(
      await desk.checksOf((await desk.draft({ title: long, wechat: { title: '职'.repeat(64) } })).id),
    ).toEqual([])
  })

  it('finds house terms in title, captions and body: 禁用 blocks with the form to use, 提示 warns', async () => {
    const story = await desk.draft({
      title: '关爱残废人就业',
      body: body(
        paragraph(text('全国劳模王师傅说，全国劳模要带好徒弟。基层工会也来了，中华全国总工会发来贺信。')),
        upload({ id: 'cap', value: desk.images.good, caption: '残废人职工在车间' }),
      ),
    })
    const checks = await desk.checksOf(story.id)
    expect(listed(checks)).toEqual([
      'block term_forbidden title',
      'block term_forbidden body',
      'warn term_suggested body',
      'warn term_suggested body',
    ])
    expect(checks[0]?.message.zh).toBe('主题中有禁用词“残废人”：请改为“残疾人”（新华社禁用词）')
    expect(checks[1]?.message.zh).toContain('正文图说中有禁用词“残废人”')
    expect(checks[2]?.message.zh).toBe('正文中的“全国劳模”（2 处）建议改为“全国劳动模范”')
    // 工会 is a word of its own in 基层工会, but not inside 中华全国总工会.
    expect(checks[3]?.message.zh).toBe('正文中的“工会”建议改为“工会组织”')
  })

  it('takes a short name after the full one, not before it', async () => {
    const after = await desk.draft({ body: words('江州市总工会日前召开会议。市总工会负责人介绍。') })
    expect(await desk.checksOf(after.id)).toEqual([])
    const before = await desk.draft({ body: words('市总工会负责人介绍，江州市总工会日前召开会议。') })
    expect(listed(await desk.checksOf(before.id))).toEqual(['warn term_suggested body'])
  })

  it('checks against the list as it is now: a term added is found at once', async () => {
    const story = await desk.draft({ body: words('职工疗休养报名截止到月底。') })
    expect(await desk.checksOf(story.id)).toEqual([])
    const added = await payload.create({
      collection: collectionSlugs.houseTerms,
      data: { term: '截止到', severity: 'suggest', replacement: '截至' },
    })
    expect(listed(await desk.checksOf(story.id))).toEqual(['warn term_suggested body'])
    await payload.delete({ collection: collectionSlugs.houseTerms, id: added.id })
    expect(await desk.checksOf(story.id)).toEqual([])
  })

  it('answers staff only, for a story that exists', async () => {
    const story = await desk.draft()
    expect(await desk.call('GET', `stories/${story.id}/checks`)).toMatchObject({
      status: 401,
      json: { error: 'unauthorized' },
    })
    expect(await desk.checksOf(story.id, 'reporter')).toEqual([])
    expect((await desk.call('GET', 'stories/abc/checks', 'editor')).status).toBe(400)
    expect((await desk.call('GET', 'stories/999999/checks', 'editor')).status).toBe(404)
  })
})

/**
 * A reporter's story taken to `stage` through the real save path (the checks passing): submitted
 * by the reporter, approved by the editor (nobody reviews their own story).
 */
async function storyIn(stage: 'in_review' | 'approved', data: Partial<Story> = {}): Promise<Story> {
  const as = (role: 'reporter' | 'editor') => ({
    user: desk.staff.users[role],
    overrideAccess: false,
    draft: true,
  })
  const story = await payload.create({
    collection: collectionSlugs.stories,
    data: {
      title: '职工书屋新到一批技术书',
      section: desk.section,
      body: words('职工书屋新到一批技术书。'),
      ...data,
    },
    ...as('reporter'),
  })
  const moves = stage === 'approved' ? (['in_review', 'approved'] as const) : (['in_review'] as const)
  for (const next of moves) {
    const by = next === 'in_review' ? 'reporter' : 'editor'
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: next },
      ...as(by),
    })
  }
  return story
}

/**
 * Breaks an approved story: a forbidden term in its title (a draft save, no move), written as
 * the server's own code would. An editor's edit would send the story back to review instead
 * (reviewLevels.test.ts), so that is not how an approved story reaches the publish check broken.
 */
async function spoil(id: number, extra: Partial<Story> = {}) {
  await payload.update({
    collection: collectionSlugs.stories,
    id,
    data: { title: '残废人也能上岗', ...extra },
    draft: true,
    overrideAccess: true,
  })
}

const stored = (id: number) =>
  payload.findByID({ collection: collectionSlugs.stories, id, draft: true, depth: 0 })

async function graphqlPublish(id: number, role: Role) {
  const response = await desk.kitchen.api.graphql(
    new Request('http://localhost/api/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${desk.staff.tokens[role]}` },
      body: JSON.stringify({
        query: 'mutation ($id: Int!) { updateStory(id: $id, data: { _status: published }) { id stage } }',
        variables: { id },
      }),
    }),
  )
  return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: unknown }[] }
}

describe('blocking checks stop 审核通过 and 发布', () => {
  it('refuses approval over REST with each failure on its field, and approves once fixed', async () => {
    const story = await storyIn('in_review', { body: body(paragraph()) })
    const refused = await desk.call('PATCH', `stories/${story.id}?draft=true`, 'editor', {
      stage: 'approved',
    })
    expect(refused.status).toBe(400)
    const errors = (refused.json.errors as { data?: { errors?: { path: string; message: string }[] } }[])[0]
      ?.data?.errors
    expect(errors).toEqual([
      {
        path: 'body',
        message:
          '发稿检查未通过，不能审核通过：正文为空：请先写正文（Cannot approve the story: The body is empty: write the story first）',
      },
    ])
    expect((await stored(story.id)).stage).toBe('in_review')
    const fixed = await desk.call('PATCH', `stories/${story.id}?draft=true`, 'editor', {
      stage: 'approved',
      body: words('补上的正文。'),
    })
    expect(fixed.status).toBe(200)
    expect((await stored(story.id)).stage).toBe('approved')
  })

  it('refuses publication over REST and GraphQL, and the public never sees the story', async () => {
    const story = await storyIn('approved')
    await spoil(story.id)
    const rest = await desk.call('PATCH', `stories/${story.id}`, 'editor', { _status: 'published' })
    expect(rest.status).toBe(400)
    expect(JSON.stringify(rest.json)).toContain('主题中有禁用词“残废人”：请改为“残疾人”')
    const graphql = await graphqlPublish(story.id, 'admin')
    expect(graphql.errors?.[0]?.message).toContain('title')
    expect(JSON.stringify(graphql.errors)).toContain('发稿检查未通过，不能发布')
    expect(await stored(story.id)).toMatchObject({ stage: 'approved', _status: 'draft' })
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.stories,
      where: { id: { equals: story.id } },
      overrideAccess: false,
    })
    expect(totalDocs).toBe(0)
  })

  it('lets an editor override with a reason, recorded in the audit log with what was overridden', async () => {
    const story = await storyIn('approved')
    await spoil(story.id, { checksOverride: '引用当事人原话，保留原词' })
    const published = await desk.call('PATCH', `stories/${story.id}`, 'editor', { _status: 'published' })
    expect(published.status).toBe(200)
    expect((await stored(story.id)).stage).toBe('published')
    const { docs } = await payload.find({
      collection: collectionSlugs.auditLog,
      where: { and: [{ docId: { equals: String(story.id) } }, { action: { equals: 'published' } }] },
    })
    expect(docs).toHaveLength(1)
    expect(docs[0]?.user).toMatchObject({ id: desk.staff.users.editor.id })
    expect(docs[0]?.detail).toMatchObject({
      from: 'approved',
      to: 'published',
      checksOverride: {
        reason: '引用当事人原话，保留原词',
        checks: [
          {
            code: 'term_forbidden',
            field: 'title',
            message: '主题中有禁用词“残废人”：请改为“残疾人”（新华社禁用词）',
          },
        ],
      },
    })
  })

  it('does not take a reason from a reporter', async () => {
    const own = await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '残废人也能上岗', section: desk.section, body: words('正文。') },
      draft: true,
      user: desk.staff.users.reporter,
      overrideAccess: false,
    })
    const written = await desk.call('PATCH', `stories/${own.id}?draft=true`, 'reporter', {
      stage: 'in_review',
      checksOverride: '记者自己放行',
    })
    expect(written.status).toBe(200)
    expect((await stored(own.id)).checksOverride ?? null).toBeNull()
    const approval = await desk.call('PATCH', `stories/${own.id}?draft=true`, 'editor', { stage: 'approved' })
    expect(approval.status).toBe(400)
    expect((await stored(own.id)).stage).toBe('in_review')
  })

  it('refuses to schedule a publication before the embargo ends, with both times', async () => {
    const story = await storyIn('approved', { embargoUntil: '2099-01-02T02:00:00.000Z' })
    const early = await desk.call('POST', `stories/${story.id}/schedule`, 'editor', {
      action: 'publish',
      at: '2099-01-01T09:00',
    })
    expect(early.status).toBe(409)
    expect(early.json.reasonZh).toContain('定时发布时间 2099-01-01 09:00 早于禁发时间 2099-01-02 10:00')
    expect((await stored(story.id)).stage).toBe('approved')
    const later = await desk.call('POST', `stories/${story.id}/schedule`, 'editor', {
      action: 'publish',
      at: '2099-01-03T09:00',
    })
    expect(later.status).toBe(201)
    expect((await stored(story.id)).stage).toBe('scheduled')
  })

  it('keeps a scheduled story that fails at firing time off the site, and records why', async () => {
    const story = await storyIn('approved')
    const scheduled = await desk.call('POST', `stories/${story.id}/schedule`, 'editor', {
      action: 'publish',
      at: new Date(Date.now() - 1000).toISOString(),
    })
    expect(scheduled.status).toBe(201)
    await spoil(story.id)
    await payload.jobs.run()
    expect(await stored(story.id)).toMatchObject({ stage: 'approved', _status: 'draft' })
    const runs = await payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: { story: { equals: story.id } },
    })
    expect(runs.docs).toHaveLength(1)
    expect(runs.docs[0]?.status).toBe('skipped')
    expect(runs.docs[0]?.note).toContain('发稿检查未通过，未发布')
    expect(runs.docs[0]?.note).toContain('主题中有禁用词“残废人”')
    // Not retried: the job is done, and nothing waits for the story.
    expect((await desk.call('GET', `stories/${story.id}/schedule`, 'editor')).json.schedules).toEqual([])
  })
})
