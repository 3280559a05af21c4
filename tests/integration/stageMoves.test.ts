import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story, User } from '../../cms/payload-types.ts'
import { seedContext } from '../../cms/seed/index.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Every stage × stage × role through the real save path, against the table as the README
 * states it to editors (written out here on its own, not read from the code). Entering and
 * leaving `scheduled` happen through the schedule API only (tests/integration/scheduling.test.ts).
 */
const stages = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'corrected', 'withdrawn'] as const
type Stage = (typeof stages)[number]
type Role = 'reporter' | 'editor' | 'admin'

const anyoneWhoMayEdit = ['draft>in_review', 'in_review>draft']
const editorsOnly = [
  'in_review>approved',
  'approved>draft',
  'approved>published',
  'scheduled>published',
  'published>corrected',
  'corrected>corrected',
  'published>withdrawn',
  'corrected>withdrawn',
  'withdrawn>draft',
]
const isLegal = (from: Stage, to: Stage, role: Role) =>
  anyoneWhoMayEdit.includes(`${from}>${to}`) || (role !== 'reporter' && editorsOnly.includes(`${from}>${to}`))

const live: Stage[] = ['published', 'corrected', 'withdrawn']

let kitchen: TestKitchen
let payload: Payload
let sectionId: number
const users = {} as Record<Role, User>

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  sectionId =
    // One review level: an editor’s approval is the review (三审 is tested in reviewLevels.test.ts).
    (
      await payload.create({
        collection: collectionSlugs.sections,
        data: { name: '流程', order: 1, reviewLevels: 1 },
      })
    ).id
  for (const role of ['admin', 'editor', 'reporter'] as const) {
    users[role] = await payload.create({
      collection: collectionSlugs.users,
      data: { email: `${role}@moves.test`, password: 'a-long-test-password', name: role, role },
    })
  }
})

afterAll(async () => {
  await kitchen?.cleanup()
})

async function attemptMove({ from, to, role }: { from: Stage; to: Stage; role: Role }): Promise<boolean> {
  // The story starts in `from`, written by the reporter who owns it.
  const story = await payload.create({
    collection: 'stories',
    context: seedContext,
    user: users.reporter,
    draft: !live.includes(from),
    data: {
      title: `${from} → ${to}（${role}）`,
      // A body of words: the pre-publication check refuses to approve or publish an empty story.
      body: savedState(root(paragraph(text('正文。')))) as unknown as Story['body'],
      section: sectionId,
      stage: from,
      _status: live.includes(from) ? 'published' : 'draft',
      corrections: from === 'corrected' ? [{ note: '第一次更正' }] : [],
      withdrawnReason: from === 'withdrawn' ? '测试' : undefined,
    },
  })
  const isPublishSave = live.includes(to)
  const data: Record<string, unknown> = { stage: to }
  if (to === 'corrected') data.corrections = [...(story.corrections ?? []), { note: '新的更正' }]
  if (to === 'withdrawn') data.withdrawnReason = '撤稿测试'
  // Sending someone else's story back needs a reason for its author.
  if (to === 'draft') data.stageNote = '退回测试'
  if (isPublishSave) data._status = 'published'
  try {
    const saved = await payload.update({
      collection: 'stories',
      id: story.id,
      data,
      draft: !isPublishSave,
      user: users[role],
      overrideAccess: false,
    })
    return saved.stage === to
  } catch {
    const stored = await payload.findByID({ collection: 'stories', id: story.id, draft: true })
    expect(stored.stage, 'a refused move leaves the stage as it was').toBe(from)
    return false
  }
}

describe('every stage move, for every role', () => {
  for (const role of ['reporter', 'editor', 'admin'] as const) {
    it(`${role}: exactly the legal moves succeed`, async () => {
      const outcomes: Record<string, boolean> = {}
      const expected: Record<string, boolean> = {}
      for (const from of stages) {
        for (const to of stages) {
          if (from === to && to !== 'corrected') continue
          outcomes[`${from}>${to}`] = await attemptMove({ from, to, role })
          expected[`${from}>${to}`] = isLegal(from, to, role)
        }
      }
      expect(outcomes).toEqual(expected)
    }, 120_000)
  }
})
