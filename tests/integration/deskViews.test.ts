import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deskSchedule, deskTroubles } from '../../cms/jobs/scheduleQueue.ts'
import { SITE_BUILD_TASK } from '../../cms/jobs/siteBuild.ts'
import { STORY_SCHEDULE_TASK, type StoryScheduleInput } from '../../cms/jobs/storySchedule.ts'
import { addDays, beijingDay } from '../../cms/lib/beijingDays.ts'
import type { Story, User } from '../../cms/payload-types.ts'
import { myStories } from '../../cms/publishing/desk/myStories.ts'
import { waitingForMyReview } from '../../cms/publishing/desk/reviewQueue.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import type { Signature } from '../../cms/workflow/reviewLevels.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

const roles = ['admin', 'chief', 'deskHead', 'editor', 'reporter'] as const
type Role = (typeof roles)[number]

let kitchen: TestKitchen
let payload: Payload
let users: Record<Role, User>
let tokens: Record<Role, string>
const sections: Record<1 | 2 | 3, number> = { 1: 0, 2: 0, 3: 0 }

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  ;({ users, tokens } = await createStaff({ payload, domain: 'desk-views.test', roles }))
  for (const levels of [1, 2, 3] as const) {
    const section = await payload.create({
      collection: collectionSlugs.sections,
      data: { name: `${levels} 审栏目`, order: levels, reviewLevels: levels },
    })
    sections[levels] = section.id
  }
})

afterAll(async () => {
  await kitchen?.cleanup()
})

/** A story the reporter wrote and submitted (access checked), in the section with `levels` review levels. */
async function submitted({ title, levels }: { title: string; levels: 1 | 2 | 3 }): Promise<Story> {
  const as = { user: users.reporter, overrideAccess: false, draft: true } as const
  const story = await payload.create({
    collection: collectionSlugs.stories,
    data: { title, section: sections[levels] },
    ...as,
  })
  await payload.update({
    collection: collectionSlugs.stories,
    id: story.id,
    data: { stage: 'in_review' },
    ...as,
  })
  return story
}

/**
 * Puts signatures on the story's latest version as the database holds them: the signing rules
 * (enforceWorkflow) are tested elsewhere; here only what the desk reads of them matters.
 */
async function signedBy(story: Story, signatures: { level: number; by: Role; voided?: boolean }[]) {
  const { docs } = await payload.findVersions({
    collection: collectionSlugs.stories,
    where: { and: [{ parent: { equals: story.id } }, { latest: { equals: true } }] },
    depth: 0,
    limit: 1,
  })
  const latest = docs[0]
  if (!latest) throw new Error(`story ${story.id} has no version`)
  const stored: Signature[] = signatures.map(({ level, by, voided }) => ({
    level,
    by: users[by].id,
    at: new Date().toISOString(),
    voidedAt: voided ? new Date().toISOString() : null,
  }))
  await payload.db.updateVersion({
    collection: collectionSlugs.stories,
    id: latest.id,
    versionData: { ...latest, version: { ...latest.version, signatures: stored } },
  })
}

const waitingTitles = async (role: Role) =>
  Object.fromEntries(
    (await waitingForMyReview({ payload, user: users[role] })).map((row) => [row.title, row.level]),
  )

describe('待我审', () => {
  it('lists each in-review story for the roles that may sign its next level and have not signed it', async () => {
    await submitted({ title: '三审·待初审', levels: 3 })
    await signedBy(await submitted({ title: '三审·待复审', levels: 3 }), [{ level: 1, by: 'editor' }])
    await signedBy(await submitted({ title: '三审·待终审', levels: 3 }), [
      { level: 1, by: 'editor' },
      { level: 2, by: 'deskHead' },
    ])
    // The desk head signed 初审: the same person never signs 复审 of it too.
    await signedBy(await submitted({ title: '二审·主任已初审', levels: 2 }), [{ level: 1, by: 'deskHead' }])
    // A voided signature is no signature: the story waits at 初审 again, for the editor too.
    await signedBy(await submitted({ title: '三审·初审作废', levels: 3 }), [
      { level: 1, by: 'editor', voided: true },
    ])
    await submitted({ title: '一审·待审', levels: 1 })
    // A draft is saved without checks: one submitted with no section waits under the default two levels.
    const noSection = await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '无栏目·待审' } as Partial<Story> as Story,
      user: users.reporter,
      overrideAccess: false,
      draft: true,
    })
    await payload.update({
      collection: collectionSlugs.stories,
      id: noSection.id,
      data: { stage: 'in_review' },
      user: users.reporter,
      overrideAccess: false,
      draft: true,
    })
    await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '草稿不等人审', section: sections[3] },
      user: users.reporter,
      overrideAccess: false,
      draft: true,
    })

    expect(await waitingTitles('editor')).toEqual({
      三审·待初审: 1,
      三审·初审作废: 1,
      一审·待审: 1,
      无栏目·待审: 1,
    })
    expect(await waitingTitles('deskHead')).toEqual({
      三审·待初审: 1,
      三审·待复审: 2,
      三审·初审作废: 1,
      一审·待审: 1,
      无栏目·待审: 1,
    })
    expect(await waitingTitles('chief')).toEqual({
      三审·待初审: 1,
      三审·待复审: 2,
      三审·待终审: 3,
      二审·主任已初审: 2,
      三审·初审作废: 1,
      一审·待审: 1,
      无栏目·待审: 1,
    })
    // Admins stand in for 初审 and 复审, never 签发.
    expect(await waitingTitles('admin')).toEqual({
      三审·待初审: 1,
      三审·待复审: 2,
      二审·主任已初审: 2,
      三审·初审作废: 1,
      一审·待审: 1,
      无栏目·待审: 1,
    })
    expect(await waitingTitles('reporter')).toEqual({})
  })
})

describe('我的稿件', () => {
  it('lists the user’s own stories with their stage, the latest edited first', async () => {
    const mine = await myStories({ payload, user: users.reporter })
    expect(mine.map((row) => row.title).slice(0, 3)).toEqual(['草稿不等人审', '无栏目·待审', '一审·待审'])
    expect(mine.find((row) => row.title === '草稿不等人审')?.stage).toBe('draft')
    expect(mine.find((row) => row.title === '一审·待审')?.stage).toBe('in_review')
    expect(mine.every((row) => row.updatedAt)).toBe(true)
    expect(await myStories({ payload, user: users.editor })).toEqual([])
  })
})

/** A schedule left on the queue as the schedule API leaves it (no worker runs in this file). */
async function queueSchedule({
  storyId,
  at,
  action = 'publish',
}: {
  storyId: number
  at: string
  action?: 'publish' | 'unpublish'
}) {
  const input: StoryScheduleInput = {
    storyId,
    action,
    at: new Date(at).toISOString(),
    timeZone: 'Asia/Shanghai',
  }
  const job = await payload.jobs.queue({ task: STORY_SCHEDULE_TASK, input, waitUntil: new Date(at) })
  return String(job.id)
}

describe('今日排期', () => {
  it('holds what falls in the Beijing day, from 00:00 to 23:59:59, whatever the UTC date', async () => {
    const story = await submitted({ title: '排期边界', levels: 1 })
    const today = beijingDay(new Date('2099-03-10T12:00:00+08:00'))
    expect(today.from.toISOString()).toBe('2099-03-09T16:00:00.000Z')
    const at = {
      lastSecondBefore: '2099-03-09T23:59:59+08:00',
      midnight: '2099-03-10T00:00:00+08:00',
      // 07:00 in Beijing is still the 9th in UTC.
      morning: '2099-03-10T07:00:00+08:00',
      lastSecond: '2099-03-10T23:59:59+08:00',
      nextMidnight: '2099-03-11T00:00:00+08:00',
    }
    const ids = {
      midnight: await queueSchedule({ storyId: story.id, at: at.midnight }),
      morning: await queueSchedule({ storyId: story.id, at: at.morning, action: 'unpublish' }),
      lastSecond: await queueSchedule({ storyId: story.id, at: at.lastSecond }),
    }
    await queueSchedule({ storyId: story.id, at: at.lastSecondBefore })
    await queueSchedule({ storyId: story.id, at: at.nextMidnight })
    const embargoed = await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '禁发今晨到期', section: sections[1], embargoUntil: '2099-03-10T08:00:00+08:00' },
      user: users.editor,
      overrideAccess: false,
      draft: true,
    })
    await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '禁发明天到期', section: sections[1], embargoUntil: at.nextMidnight },
      user: users.editor,
      overrideAccess: false,
      draft: true,
    })

    const items = await deskSchedule({ payload, ...today })
    expect(items.map((item) => [item.kind, item.title, item.at, item.scheduleId])).toEqual([
      ['publish', '排期边界', '2099-03-09T16:00:00.000Z', ids.midnight],
      ['unpublish', '排期边界', '2099-03-09T23:00:00.000Z', ids.morning],
      ['embargo', '禁发今晨到期', '2099-03-10T00:00:00.000Z', undefined],
      ['publish', '排期边界', '2099-03-10T15:59:59.000Z', ids.lastSecond],
    ])
    expect(items.find((item) => item.kind === 'embargo')?.storyId).toBe(embargoed.id)
  })
})

describe('迟发/失败', () => {
  it('lists late and skipped runs, failed schedules and builds and failed WeChat pushes of the last 7 days', async () => {
    const story = await submitted({ title: '出过问题的稿', levels: 1 })
    const now = new Date()
    const run = (data: Record<string, unknown>) =>
      payload.create({
        collection: collectionSlugs.scheduleRuns,
        data: { jobId: `job-${Math.random()}`, story: story.id, action: 'publish', ...data } as never,
        overrideAccess: true,
      })
    await run({ dueAt: addDays(now, -1).toISOString(), status: 'done', isLate: true, lateBySeconds: 42 })
    await run({
      dueAt: addDays(now, -2).toISOString(),
      status: 'skipped',
      note: 'story is draft, no longer scheduled',
    })
    await run({ dueAt: addDays(now, -1).toISOString(), status: 'done', isLate: false, lateBySeconds: 0 })
    await run({ dueAt: addDays(now, -8).toISOString(), status: 'done', isLate: true, lateBySeconds: 99 })
    await payload.create({
      collection: 'payload-jobs',
      data: {
        taskSlug: STORY_SCHEDULE_TASK,
        input: { storyId: story.id, action: 'publish', at: now.toISOString(), timeZone: 'Asia/Shanghai' },
        hasError: true,
        error: { message: '稿件不能从“草稿”直接改为“已发布”' },
      },
      overrideAccess: true,
    })
    await payload.create({
      collection: 'payload-jobs',
      data: {
        taskSlug: SITE_BUILD_TASK,
        input: { reason: 'test' },
        hasError: true,
        error: { message: 'disk full' },
      },
      overrideAccess: true,
    })
    await payload.create({
      collection: collectionSlugs.wechatPushes,
      data: { story: story.id, action: 'add', status: 'failed', error: 'access_token 过期' },
      overrideAccess: true,
    })

    const troubles = await deskTroubles({ payload, since: addDays(now, -7) })
    expect(
      troubles
        .map((row) => [row.kind, row.title, row.detail])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['late', '出过问题的稿', '定时发布迟发 42 秒'],
      ['scheduleFailed', '出过问题的稿', '定时任务失败：稿件不能从“草稿”直接改为“已发布”'],
      ['siteBuildFailed', undefined, '网站构建失败：disk full'],
      ['skipped', '出过问题的稿', '定时发布未执行：story is draft, no longer scheduled'],
      ['wechatFailed', '出过问题的稿', '公众号推送失败：access_token 过期'],
    ])
    // Newest first.
    const times = troubles.map((row) => row.at)
    expect(times).toEqual([...times].sort().reverse())
    // A failed schedule is no longer pending: the calendar does not show it.
    expect((await deskSchedule({ payload, from: addDays(now, -1), to: addDays(now, 1) })).length).toBe(0)
  })
})

async function getSchedule(query: string, role?: Role) {
  const headers: Record<string, string> = {}
  if (role) headers.authorization = `JWT ${tokens[role]}`
  const response = await kitchen.api.rest.GET(
    new Request(`http://localhost/api/schedule${query}`, { headers }),
    {
      params: Promise.resolve({ slug: ['schedule'] }),
    },
  )
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

describe('GET /api/schedule', () => {
  it('answers the desk and admins; refuses others with 401 and 403', async () => {
    const query = '?from=2099-03-09&to=2099-03-16'
    expect(await getSchedule(query)).toMatchObject({ status: 401, json: { error: 'unauthorized' } })
    expect(await getSchedule(query, 'reporter')).toMatchObject({ status: 403, json: { error: 'forbidden' } })
    for (const role of ['editor', 'deskHead', 'chief', 'admin'] as const) {
      const answer = await getSchedule(query, role)
      expect(answer.status).toBe(200)
      expect(answer.json.from).toBe('2099-03-08T16:00:00.000Z')
      expect(answer.json.to).toBe('2099-03-15T16:00:00.000Z')
      const items = answer.json.items as { kind: string; title: string }[]
      // The five schedules of 排期边界 and the two embargo ends all fall in that week.
      expect(items.filter((item) => item.title === '排期边界')).toHaveLength(5)
      expect(items.filter((item) => item.kind === 'embargo')).toHaveLength(2)
    }
  })

  it('takes ISO times as well as dates', async () => {
    const answer = await getSchedule(
      `?from=${encodeURIComponent('2099-03-10T00:00:00+08:00')}&to=${encodeURIComponent('2099-03-10T07:00:00+08:00')}`,
      'editor',
    )
    expect(answer.status).toBe(200)
    expect((answer.json.items as { at: string }[]).map((item) => item.at)).toEqual([
      '2099-03-09T16:00:00.000Z',
    ])
  })

  it.each([
    ['a date that is not one', '?from=2099-02-30&to=2099-03-05', 'from 和 to 必须是日期'],
    ['words', '?from=明天&to=2099-03-05', 'from 和 to 必须是日期'],
    ['an end before the start', '?from=2099-03-10&to=2099-03-09', 'to 必须晚于 from'],
    ['too long a window', '?from=2099-01-01&to=2099-06-01', '一次最多查询 92 天'],
  ])('refuses %s with 400 and a reason', async (_, query, reasonZh) => {
    const answer = await getSchedule(query, 'editor')
    expect(answer.status).toBe(400)
    expect(answer.json.error).toBe('bad_time')
    expect(String(answer.json.reasonZh)).toContain(reasonZh)
    expect(typeof answer.json.reason).toBe('string')
  })
})
