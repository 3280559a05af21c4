import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveCounts } from '../../cms/channels/counts/liveCounts.ts'
import type { StoryPlans } from '../../cms/channels/counts/storyPlans.ts'
import type { ColumnIssue, TvEpisode } from '../../cms/payload-types.ts'
import { readStoryPlans } from '../../cms/publishing/plans/storyPlans.ts'
import { readApprovedStory } from '../../cms/publishing/plate/readApprovedStory.ts'
import { fitIssue } from '../../cms/publishing/print/columnFit.ts'
import { fitEpisode } from '../../cms/publishing/tv/episodeFit.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let payload: Payload
let tokens: Record<'editor' | 'reporter', string>
let storyId = 0
let issue: ColumnIssue
let episode: TvEpisode

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  await seedDemoContent({ payload, adminPassword: 'demo-password-1' })
  tokens = (await createStaff({ payload, domain: 'budgets.test', roles: ['editor', 'reporter'] })).tokens
  const stories = await payload.find({
    collection: collectionSlugs.stories,
    where: { title: { equals: '陈海生：把焊缝焊成“免检产品”' } },
    depth: 0,
  })
  storyId = stories.docs[0]?.id ?? 0
  issue = (
    await payload.find({ collection: collectionSlugs.columnIssues, depth: 0, context: { skipFit: true } })
  ).docs[0] as ColumnIssue
  episode = (
    await payload.find({ collection: collectionSlugs.tvEpisodes, depth: 0, context: { skipFit: true } })
  ).docs[0] as TvEpisode
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

const budgets = ({ id, token }: { id: number | string; token?: string }) =>
  kitchen.api.rest.GET(
    new Request(`http://kitchen.test/api/stories/${id}/budgets`, {
      headers: token ? { authorization: `JWT ${token}` } : {},
    }),
    { params: Promise.resolve({ slug: ['stories', String(id), 'budgets'] }) },
  )

describe('GET /api/stories/:id/budgets', () => {
  it('answers staff with the print slot and the TV segment the story is planned into', async () => {
    const response = await budgets({ id: storyId, token: tokens.reporter })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const plans = (await response.json()) as StoryPlans
    // 劳动者之窗: 14 字 a line × 110 lines × 2 columns.
    expect(plans.print).toEqual([
      {
        issueId: issue.id,
        issueTitle: issue.title,
        column: '劳动者之窗',
        issueDate: issue.issueDate,
        position: 1,
        budget: 3080,
      },
    ])
    expect(plans.tv).toHaveLength(1)
    expect(plans.tv[0]).toMatchObject({
      episodeId: episode.id,
      programme: '劳动者',
      airDate: episode.airDate,
      position: 1,
      pace: 240,
      budgetSeconds: 300,
      lead: expect.stringContaining('今天的《劳动者》'),
    })
    expect(plans.tv[0]?.shots.map((shot) => shot.paragraph)).toEqual([1, 2, 5, 6, 8])
    expect(plans.wechat.sourceUrl).toMatch(/\/stories\/[^/]+\/$/)
  })

  it('gives the counts the column fit and the episode timing give, for the saved body', async () => {
    const plans = (await (await budgets({ id: storyId, token: tokens.editor })).json()) as StoryPlans
    const story = await readApprovedStory({ payload, id: storyId })
    const counts = liveCounts({
      draft: { body: story?.body, title: story?.title, summary: story?.summary },
      plans,
    })
    const printFit = await fitIssue({ payload, issue })
    const tvFit = await fitEpisode({ payload, episode })
    expect(counts.rows.find((row) => row.outlet === 'print')?.used).toBe(
      printFit.slots[0]?.story.counts.running,
    )
    expect(counts.rows.find((row) => row.outlet === 'tv')?.used).toBe(tvFit.segments[0]?.script.totalSeconds)
    expect(counts.body.total).toBe(printFit.slots[0]?.story.plate.counts.total)
  })

  it("takes a slot's own budget, and leaves out an issue already printed", async () => {
    const past = await payload.create({
      collection: collectionSlugs.columnIssues,
      data: {
        title: '劳动者之窗 上期',
        column: typeof issue.column === 'object' ? issue.column.id : issue.column,
        issueDate: new Date(Date.now() - 40 * 86_400_000).toISOString(),
        slots: [{ story: storyId, budget: 900 }],
      },
      context: { skipFit: true },
    })
    const next = await payload.create({
      collection: collectionSlugs.columnIssues,
      data: {
        title: '劳动者之窗 下期',
        column: typeof issue.column === 'object' ? issue.column.id : issue.column,
        issueDate: new Date(Date.now() + 40 * 86_400_000).toISOString(),
        slots: [{ story: storyId, budget: 900 }],
      },
      context: { skipFit: true },
    })
    try {
      const plans = await readStoryPlans({ payload, story: { id: storyId } })
      expect(plans.print.map((plan) => [plan.issueTitle, plan.budget])).toEqual([
        [issue.title, 3080],
        ['劳动者之窗 下期', 900],
      ])
    } finally {
      for (const id of [past.id, next.id])
        await payload.delete({ collection: collectionSlugs.columnIssues, id })
    }
  })

  it('refuses anyone not logged in (401), a bad id (400) and a story that is not there (404)', async () => {
    const anonymous = await budgets({ id: storyId })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({
      error: 'unauthorized',
      reasonZh: '请登录后查看稿件的字数预算',
    })
    const bad = await budgets({ id: 'abc', token: tokens.editor })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: 'bad_id' })
    const missing = await budgets({ id: 999_999, token: tokens.editor })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'not_found', reasonZh: '没有稿件 999999' })
  })
})
