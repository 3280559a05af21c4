import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimJobs, JOB_LEASE_MS } from '../../cms/jobs/claimJobs.ts'
import { runQueue } from '../../cms/jobs/runQueue.ts'
import { claimRun } from '../../cms/jobs/storySchedule.ts'
import type { User } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { approvedStory, timesPublished } from '../helpers/scheduledStories.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let payload: Payload
let sectionId: number
const tokens: Record<string, string> = {}
let editor: User
let reporter: User

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  sectionId =
    // One review level: an editor’s approval is the review (三审 is tested in reviewLevels.test.ts).
    (
      await payload.create({
        collection: collectionSlugs.sections,
        data: { name: '定时', order: 1, reviewLevels: 1 },
      })
    ).id
  const staff = await createStaff({
    payload,
    domain: 'schedule.test',
    roles: ['admin', 'editor', 'reporter'],
  })
  editor = staff.users.editor
  reporter = staff.users.reporter
  Object.assign(tokens, staff.tokens)
})

afterAll(async () => {
  await kitchen?.cleanup()
})

async function call({
  method,
  path,
  role,
  body,
}: {
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  role?: string
  body?: string
}): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (role) headers.authorization = `JWT ${tokens[role]}`
  const response = await kitchen.api.rest[method](
    new Request(`http://localhost/api/${path}`, { method, headers, body }),
    {
      params: Promise.resolve({ slug: path.split('/') }),
    },
  )
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

/** The id of a story the reporter wrote and the editor took to approved. */
const approvedId = async (title: string) =>
  (await approvedStory({ payload, writer: reporter, reviewers: [editor], title, section: sectionId })).id

const schedule = (id: number, body: Record<string, unknown>, role = 'editor') =>
  call({ method: 'POST', path: `stories/${id}/schedule`, role, body: JSON.stringify(body) })

async function stageOf(id: number): Promise<string | null | undefined> {
  return (await payload.findByID({ collection: 'stories', id, draft: true, depth: 0 })).stage
}

async function runsFor(id: number) {
  return (
    await payload.find({
      collection: collectionSlugs.scheduleRuns,
      where: { story: { equals: id } },
      depth: 0,
    })
  ).docs
}

describe('the schedule API', () => {
  it('lets editors schedule, list and cancel; answers others with a JSON reason', async () => {
    const id = await approvedId('职工疗休养报名开启')
    expect((await schedule(id, { action: 'publish', at: '2099-01-01T09:00' }, '')).status).toBe(401)
    const byReporter = await schedule(id, { action: 'publish', at: '2099-01-01T09:00' }, 'reporter')
    expect(byReporter).toMatchObject({ status: 403, json: { error: 'forbidden' } })

    const created = await schedule(id, { action: 'publish', at: '2099-01-01T09:00' })
    expect(created.status).toBe(201)
    const scheduleId = (created.json.schedule as { id: string }).id
    // A wall-clock time is read in Asia/Shanghai unless another zone is given.
    expect(created.json.schedule).toMatchObject({ at: '2099-01-01T01:00:00.000Z', timeZone: 'Asia/Shanghai' })
    expect(await stageOf(id)).toBe('scheduled')

    const listed = await call({ method: 'GET', path: `stories/${id}/schedule`, role: 'editor' })
    expect(listed.json.schedules).toEqual([
      { id: scheduleId, action: 'publish', at: '2099-01-01T01:00:00.000Z', timeZone: 'Asia/Shanghai' },
    ])
    const cancelled = await call({
      method: 'DELETE',
      path: `stories/${id}/schedule/${scheduleId}`,
      role: 'editor',
    })
    expect(cancelled).toEqual({ status: 200, json: { cancelled: scheduleId } })
    expect(await stageOf(id)).toBe('approved')
    expect(
      (await call({ method: 'GET', path: `stories/${id}/schedule`, role: 'editor' })).json.schedules,
    ).toEqual([])
  })

  it.each([
    // Caught by the API guard before the endpoint: the same answer as every other endpoint.
    ['not JSON', '{"action":', 'malformed_json'],
    ['an unknown action', JSON.stringify({ action: 'explode', at: '2099-01-01T09:00' }), 'bad_action'],
    ['a time that is not one', JSON.stringify({ action: 'publish', at: '明天上午' }), 'bad_time'],
    [
      'an unknown zone',
      JSON.stringify({ action: 'publish', at: '2099-01-01T09:00', timeZone: 'Mars/Olympus' }),
      'bad_time_zone',
    ],
  ])('refuses %s with 400 and a reason', async (_, body, error) => {
    const id = await approvedId(`坏请求 ${error}`)
    const answer = await call({ method: 'POST', path: `stories/${id}/schedule`, role: 'editor', body })
    expect(answer.status).toBe(400)
    expect(answer.json.error).toBe(error)
    expect(typeof answer.json.reason).toBe('string')
    expect(await stageOf(id)).toBe('approved')
  })

  it('refuses to schedule a draft for publication, saying why', async () => {
    const draft = await payload.create({
      collection: 'stories',
      data: { title: '还没审的稿', section: sectionId },
      draft: true,
      user: editor,
      overrideAccess: false,
    })
    const answer = await schedule(draft.id, { action: 'publish', at: '2099-01-01T09:00' })
    expect(answer.status).toBe(409)
    expect(String(answer.json.reason)).toContain('不能从“草稿”直接改为“定时发布”')
  })

  it('refuses a schedule that could not fire when it is made: 409 and why, in both languages', async () => {
    const draft = await payload.create({
      collection: 'stories',
      data: { title: '从没审过的稿', section: sectionId },
      draft: true,
      user: editor,
      overrideAccess: false,
    })
    const publish = await schedule(draft.id, { action: 'publish', at: '2099-01-01T09:00' })
    expect(publish).toMatchObject({ status: 409, json: { error: 'bad_stage' } })
    expect(String(publish.json.reasonZh)).toContain('不能从“草稿”直接改为“定时发布”')
    expect(String(publish.json.reason)).toContain('cannot move from draft to scheduled')

    const id = await approvedId('还没发布就要定时撤下')
    const unpublish = await schedule(id, { action: 'unpublish', at: '2099-01-01T18:00' })
    expect(unpublish).toMatchObject({ status: 409, json: { error: 'bad_stage' } })
    expect(String(unpublish.json.reasonZh)).toContain('到时无法撤下')
    expect(String(unpublish.json.reason)).toContain('could not fire')
    for (const story of [draft.id, id]) {
      const listed = await call({ method: 'GET', path: `stories/${story}/schedule`, role: 'editor' })
      expect(listed.json.schedules).toEqual([])
    }
    // Published at nine, taken down at six: the unpublication can fire, so it is taken.
    expect((await schedule(id, { action: 'publish', at: '2099-01-01T09:00' })).status).toBe(201)
    expect((await schedule(id, { action: 'unpublish', at: '2099-01-01T18:00' })).status).toBe(201)
  })

  it('cancels the schedule of a story published early without error, leaving it published', async () => {
    const id = await approvedId('提前发布的稿件')
    const created = await schedule(id, { action: 'publish', at: '2099-01-01T09:00' })
    const scheduleId = (created.json.schedule as { id: string }).id
    await payload.update({
      collection: 'stories',
      id,
      data: { _status: 'published' },
      user: editor,
      overrideAccess: false,
    })
    const cancelled = await call({
      method: 'DELETE',
      path: `stories/${id}/schedule/${scheduleId}`,
      role: 'editor',
    })
    expect(cancelled.status).toBe(200)
    expect(await stageOf(id)).toBe('published')
    expect(
      (await call({ method: 'GET', path: `stories/${id}/schedule`, role: 'editor' })).json.schedules,
    ).toEqual([])
  })

  it('answers 404 for a story that does not exist', async () => {
    expect((await schedule(999_999, { action: 'publish', at: '2099-01-01T09:00' })).status).toBe(404)
  })
})

describe('firing', () => {
  it('publishes within 5 s of the time, once, and records that it was on time', async () => {
    const id = await approvedId('劳动技能竞赛决赛今日开幕')
    const due = new Date(Date.now() + 2000)
    await schedule(id, { action: 'publish', at: due.toISOString() })
    let publishedAt: number | undefined
    while (!publishedAt && Date.now() < due.getTime() + 10_000) {
      await payload.jobs.run()
      if ((await stageOf(id)) === 'published') publishedAt = Date.now()
      else await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(publishedAt).toBeDefined()
    expect((publishedAt ?? Infinity) - due.getTime()).toBeLessThanOrEqual(5000)
    expect((publishedAt ?? 0) >= due.getTime()).toBe(true)
    expect(await timesPublished({ payload, storyId: id })).toBe(1)
    expect(await runsFor(id)).toMatchObject([{ status: 'done', isLate: false }])
  })

  it('fires an overdue schedule at once and flags it as late', async () => {
    const id = await approvedId('迟到的定时稿件')
    await schedule(id, { action: 'publish', at: new Date(Date.now() - 90_000).toISOString() })
    await payload.jobs.run()
    expect(await stageOf(id)).toBe('published')
    const [run] = await runsFor(id)
    expect(run).toMatchObject({ status: 'done', isLate: true })
    expect(run?.lateBySeconds).toBeGreaterThanOrEqual(90)
  })

  it('refuses taking a story in or out of the schedule by editing its stage', async () => {
    const id = await approvedId('手动改阶段的稿件')
    const byHand = (stage: 'scheduled' | 'approved') =>
      payload.update({
        collection: 'stories',
        id,
        data: { stage },
        draft: true,
        user: editor,
        overrideAccess: false,
      })
    await expect(byHand('scheduled')).rejects.toThrow()
    await schedule(id, { action: 'publish', at: '2099-01-01T09:00' })
    await expect(byHand('approved')).rejects.toThrow()
    expect(await stageOf(id)).toBe('scheduled')
  })

  it('does not fire for a story that left the schedule before its time', async () => {
    const id = await approvedId('撤回定时的稿件')
    await schedule(id, { action: 'publish', at: new Date(Date.now() + 500).toISOString() })
    // e.g. withdrawn by server code meanwhile: the job must see it and stand down
    await payload.update({ collection: 'stories', id, data: { stage: 'approved' }, draft: true })
    await new Promise((resolve) => setTimeout(resolve, 700))
    await payload.jobs.run()
    expect(await stageOf(id)).toBe('approved')
    expect(await runsFor(id)).toMatchObject([{ status: 'skipped' }])
    expect(await timesPublished({ payload, storyId: id })).toBe(0)
  })

  it('unpublishes at a time: the story leaves every outlet', async () => {
    const id = await approvedId('限时公示')
    await schedule(id, { action: 'publish', at: new Date(Date.now() - 1000).toISOString() })
    await payload.jobs.run()
    await schedule(id, { action: 'unpublish', at: new Date(Date.now() - 500).toISOString() })
    await payload.jobs.run()
    expect(await stageOf(id)).toBe('withdrawn')
    const { docs } = await payload.find({ collection: 'stories', overrideAccess: false, pagination: false })
    expect(docs.map((doc) => doc.id)).not.toContain(id)
  })

  it('lets only one of many concurrent claims own a schedule', async () => {
    const id = await approvedId('五个进程抢同一个任务')
    const input = {
      storyId: id,
      action: 'publish' as const,
      at: new Date().toISOString(),
      timeZone: 'Asia/Shanghai',
    }
    const claims = await Promise.allSettled(
      [1, 2, 3, 4, 5].map(() => claimRun({ payload, jobId: `race-${id}`, input })),
    )
    // One owns the run; the others are told it is held (their job is tried again later).
    const owners = claims.filter((claim) => claim.status === 'fulfilled' && claim.value !== undefined)
    expect(owners).toHaveLength(1)
    expect(
      claims.filter((claim) => claim.status === 'rejected').map((claim) => String(claim.reason)),
    ).toEqual(Array(4).fill(expect.stringContaining('still held by an earlier attempt')))
    expect(await runsFor(id)).toHaveLength(1)
  })

  it('lets concurrent runners claim different jobs, so each due schedule fires once', async () => {
    const ids = await Promise.all(
      ['三个进程抢任务甲', '三个进程抢任务乙', '三个进程抢任务丙'].map(approvedId),
    )
    for (const id of ids)
      await schedule(id, { action: 'publish', at: new Date(Date.now() - 100).toISOString() })
    const ran = await Promise.all([1, 2, 3].map(() => runQueue({ payload, limit: 1 })))
    // Each runner took a job of its own at once: none waited for another.
    expect(ran).toEqual([1, 1, 1])
    await runQueue({ payload })
    for (const id of ids) {
      expect(await stageOf(id)).toBe('published')
      expect(await timesPublished({ payload, storyId: id })).toBe(1)
    }
  })

  it('claims one site build at a time across runners: the site is one resource', async () => {
    const queued = await Promise.all(
      ['甲', '乙'].map((reason) =>
        payload.jobs.queue({
          task: 'siteBuild',
          queue: 'site',
          input: { reason },
          waitUntil: new Date(Date.now() - 100),
        }),
      ),
    )
    const claims = await Promise.all([1, 2].map(() => claimJobs({ payload, queue: 'site', limit: 5 })))
    expect(claims.map((claim) => claim.ids.length).sort()).toEqual([0, 1])
    // While the first runs (its lease fresh), no runner takes the second.
    expect((await claimJobs({ payload, queue: 'site', limit: 5 })).ids).toEqual([])
    await payload.delete({ collection: 'payload-jobs', where: { id: { in: queued.map((job) => job.id) } } })
  })

  it('hands a job left processing by a dead worker back to the queue once its lease is over, and still fires once', async () => {
    const id = await approvedId('工人死机后的任务')
    const created = await schedule(id, { action: 'publish', at: new Date(Date.now() - 100).toISOString() })
    const jobId = Number((created.json.schedule as { id: string }).id)
    // What a worker killed mid-run leaves: the job marked processing, and nothing published.
    await payload.update({ collection: 'payload-jobs', id: jobId, data: { processing: true } })
    await runQueue({ payload })
    expect(await stageOf(id)).toBe('scheduled')
    const later = new Date(Date.now() + JOB_LEASE_MS + 1000)
    const taken = await claimJobs({ payload, queue: 'default', limit: 20, now: later })
    expect(taken.ids).toContain(jobId)
    expect(taken.reclaimed).toBeGreaterThanOrEqual(1)
    // Taken once: a second runner at the same moment finds it claimed again.
    expect((await claimJobs({ payload, queue: 'default', limit: 20, now: later })).ids).not.toContain(jobId)
    await payload.jobs.runByID({ id: jobId })
    expect(await stageOf(id)).toBe('published')
    expect(await timesPublished({ payload, storyId: id })).toBe(1)
  })
})
