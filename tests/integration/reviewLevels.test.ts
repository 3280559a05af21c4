import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Story, User } from '../../cms/payload-types.ts'
import { waitingForMyReview } from '../../cms/publishing/desk/reviewQueue.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * 三审 on the server: a section's levels, who may sign each, one person one level, an edit
 * after signing voiding the signatures, and a restore keeping the story's place — through the
 * Local API as each user, over REST and over GraphQL.
 */
type StaffRole = 'reporter' | 'editor' | 'otherEditor' | 'deskHead' | 'chief' | 'admin'

let kitchen: TestKitchen
let payload: Payload
const sections: Record<1 | 2 | 3 | 'default', number> = {} as never
const staff = {} as Record<StaffRole, User>
const tokens = {} as Record<StaffRole, string>

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  const section = async (name: string, reviewLevels?: number) =>
    (
      await payload.create({
        collection: collectionSlugs.sections,
        data: { name, order: 1, ...(reviewLevels ? { reviewLevels } : {}) },
      })
    ).id
  sections[1] = await section('一审栏目', 1)
  sections[2] = await section('二审栏目', 2)
  sections[3] = await section('劳模风采', 3)
  sections.default = await section('未设审级')
  const roles: Record<StaffRole, User['role']> = {
    admin: 'admin',
    reporter: 'reporter',
    editor: 'editor',
    otherEditor: 'editor',
    deskHead: 'deskHead',
    chief: 'chief',
  }
  for (const [name, role] of Object.entries(roles) as [StaffRole, User['role']][]) {
    const email = `${name.toLowerCase()}@levels.test`
    staff[name] = await payload.create({
      collection: collectionSlugs.users,
      data: { email, password: 'a-long-test-password', name: `${name} 的名字`, role },
    })
    tokens[name] = (
      await payload.login({ collection: 'users', data: { email, password: 'a-long-test-password' } })
    ).token as string
  }
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

const as = (user: User) => ({ user, overrideAccess: false, draft: true })
const bodyOf = (words: string) => savedState(root(paragraph(text(words)))) as unknown as Story['body']

async function submitted(section: number, title: string): Promise<Story> {
  const story = await payload.create({
    collection: collectionSlugs.stories,
    data: { title, section, body: bodyOf(`${title}。正文。`) },
    ...as(staff.reporter),
  })
  return payload.update({
    collection: collectionSlugs.stories,
    id: story.id,
    data: { stage: 'in_review' },
    ...as(staff.reporter),
  })
}

function sign(user: User, story: Story, note?: string): Promise<Story> {
  return payload.update({
    collection: collectionSlugs.stories,
    id: story.id,
    data: { stage: 'approved', ...(note ? { stageNote: note } : {}) } as Partial<Story>,
    ...as(user),
  })
}

async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt
  } catch (err) {
    const data = (err as { data?: { errors?: { message?: string }[] } }).data
    return data?.errors?.map((error) => error.message).join(' ') ?? String(err)
  }
  throw new Error('the move was allowed')
}

const stored = (id: number) =>
  payload.findByID({ collection: collectionSlugs.stories, id, draft: true, depth: 0, overrideAccess: true })

/** The standing signatures as [level, signer's id]. */
const standing = (story: Story) =>
  (story.signatures ?? [])
    .filter((signature) => !signature.voidedAt)
    .map((signature) => [signature.level, typeof signature.by === 'object' ? signature.by?.id : signature.by])

describe('review levels (三审)', () => {
  it('needs 初审, 复审 and 签发 in turn on a three-level section, each by a role that may sign it', async () => {
    const story = await submitted(sections[3], '三审稿件')
    expect(await refusal(sign(staff.reporter, story))).toContain('您的角色无权')

    const first = await sign(staff.editor, story, '事实核对无误')
    expect(first.stage).toBe('in_review')
    expect(standing(first)).toEqual([[1, staff.editor.id]])
    expect(first.signatures?.[0]).toMatchObject({ note: '事实核对无误' })

    // An editor may not sign 复审; a desk head may not sign 签发, nor may an admin.
    expect(await refusal(sign(staff.otherEditor, story))).toContain('复审须由部门主任或总编辑签字')
    const second = await sign(staff.deskHead, story)
    expect(second.stage).toBe('in_review')
    for (const user of [staff.otherEditor, staff.admin]) {
      expect(await refusal(sign(user, story))).toContain('终审须由总编辑签字')
    }
    const signedOff = await sign(staff.chief, story, '同意签发')
    expect(signedOff.stage).toBe('approved')
    expect(standing(signedOff)).toEqual([
      [1, staff.editor.id],
      [2, staff.deskHead.id],
      [3, staff.chief.id],
    ])
    // The history has one move for the whole review; each signature is in the audit log.
    expect(
      signedOff.stageHistory?.map((change) => [
        change.from,
        change.to,
        typeof change.by === 'object' ? change.by?.id : change.by,
      ]),
    ).toEqual([
      ['draft', 'draft', staff.reporter.id],
      ['draft', 'in_review', staff.reporter.id],
      ['in_review', 'approved', staff.chief.id],
    ])
    const { docs: audit } = await payload.find({
      collection: collectionSlugs.auditLog,
      where: { and: [{ docId: { equals: String(story.id) } }, { action: { equals: 'signed' } }] },
      sort: 'at',
      depth: 0,
    })
    expect(
      audit.map((entry) => [entry.user, (entry.detail as { signed?: { level: number } }).signed?.level]),
    ).toEqual([
      [staff.editor.id, 1],
      [staff.deskHead.id, 2],
      [staff.chief.id, 3],
    ])
  })

  it('refuses the same person signing two levels of one story', async () => {
    const story = await submitted(sections[3], '同一人两级')
    await sign(staff.deskHead, story)
    expect(await refusal(sign(staff.deskHead, story))).toContain('同一人不能签两级审核')
    expect(standing(await stored(story.id))).toEqual([[1, staff.deskHead.id]])
  })

  it('refuses an author the review of their own story, and leaves it out of their 待我审; the chief editor signs off their own', async () => {
    const own = async (user: User, section: number, title: string, byline?: Story['byline']) => {
      const story = await payload.create({
        collection: collectionSlugs.stories,
        data: { title, section, body: bodyOf(`${title}。正文。`), ...(byline ? { byline } : {}) },
        ...as(user),
      })
      return payload.update({
        collection: collectionSlugs.stories,
        id: story.id,
        data: { stage: 'in_review' },
        ...as(user),
      })
    }
    const waiting = async (user: User) =>
      (await waitingForMyReview({ payload, user })).map((row) => row.title)

    // The editor who wrote it: not offered it, refused in words, another editor signs.
    const written = await own(staff.editor, sections[1], '编辑自己写的稿件')
    expect(await waiting(staff.editor)).not.toContain('编辑自己写的稿件')
    expect(await waiting(staff.otherEditor)).toContain('编辑自己写的稿件')
    expect(await refusal(sign(staff.editor, written))).toContain('作者不能审核自己的稿件，须由他人审核')
    expect(standing(await stored(written.id))).toEqual([])
    expect((await sign(staff.otherEditor, written)).stage).toBe('approved')

    // A desk head named in the byline of a reporter's story does not sign its 复审.
    const named = await own(staff.reporter, sections[2], '署名里有主任的稿件', {
      authors: [staff.deskHead.id],
    })
    await sign(staff.editor, named)
    expect(await waiting(staff.deskHead)).not.toContain('署名里有主任的稿件')
    expect(await refusal(sign(staff.deskHead, named))).toContain('须由他人复审')
    expect((await sign(staff.chief, named)).stage).toBe('approved')

    // Leaving the byline while the story waits does not make a reviewer of an author.
    const left = await own(staff.reporter, sections[1], '署名里有编辑的稿件', {
      authors: [staff.otherEditor.id],
    })
    await payload.update({
      collection: collectionSlugs.stories,
      id: left.id,
      data: { byline: { authors: [] } },
      ...as(staff.otherEditor),
    })
    expect(await refusal(sign(staff.otherEditor, left))).toContain('作者不能审核自己的稿件，须由他人审核')
    expect((await sign(staff.editor, left)).stage).toBe('approved')

    // 签发 is the chief editor's alone: their own story is signed off by them after the others.
    const chiefs = await own(staff.chief, sections[3], '总编辑写的评论')
    expect(await refusal(sign(staff.chief, chiefs))).toContain('须由他人初审')
    await sign(staff.editor, chiefs)
    await sign(staff.deskHead, chiefs)
    expect(await waiting(staff.chief)).toContain('总编辑写的评论')
    const signedOff = await sign(staff.chief, chiefs)
    expect(signedOff.stage).toBe('approved')
    expect(standing(signedOff)).toEqual([
      [1, staff.editor.id],
      [2, staff.deskHead.id],
      [3, staff.chief.id],
    ])
  })

  it('asks for two levels by default and one where the section says so', async () => {
    const byDefault = await submitted(sections.default, '默认两级')
    expect((await sign(staff.editor, byDefault)).stage).toBe('in_review')
    expect((await sign(staff.deskHead, byDefault)).stage).toBe('approved')
    const single = await submitted(sections[1], '一级审核')
    expect((await sign(staff.editor, single)).stage).toBe('approved')
  })

  it('voids the signatures when the text changes after signing, and says so', async () => {
    const story = await submitted(sections[2], '签字后修改')
    await sign(staff.editor, story)
    // The desk head edits the body before signing: nobody has signed the new text.
    const edited = await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { body: bodyOf('签字后修改。改过的正文。') },
      ...as(staff.deskHead),
    })
    expect(edited.stage).toBe('in_review')
    expect(standing(edited)).toEqual([])
    expect(edited.signatures?.[0]).toMatchObject({ level: 1, voidReason: '初审签字后稿件被修改' })
    // A save that changes nothing of the text voids nothing.
    await sign(staff.editor, story)
    const untouched = await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { internalNotes: '只改内部备注' },
      ...as(staff.deskHead),
    })
    expect(standing(untouched)).toEqual([[1, staff.editor.id]])

    // An approved story edited goes back to 待审 and 初审, with the reason in its history.
    const approved = await sign(staff.deskHead, story)
    expect(approved.stage).toBe('approved')
    const reopened = await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { title: '签字后修改（改标题）' },
      ...as(staff.editor),
    })
    expect(reopened.stage).toBe('in_review')
    expect(standing(reopened)).toEqual([])
    expect(reopened.stageHistory?.at(-1)).toMatchObject({
      from: 'approved',
      to: 'in_review',
      note: '初审签字后稿件被修改，签字作废，退回初审',
    })
    // Publishing text nobody signed in the same save is refused.
    await sign(staff.editor, story)
    await sign(staff.deskHead, story)
    expect(
      await refusal(
        payload.update({
          collection: collectionSlugs.stories,
          id: story.id,
          data: { title: '发布前偷改', _status: 'published' },
          user: staff.editor,
          overrideAccess: false,
        }),
      ),
    ).toContain('须重新审核后才能发布')
    expect((await stored(story.id)).title).toBe('签字后修改（改标题）')
  })

  it('voids the signatures of a story sent back, so a new submission starts at 初审', async () => {
    const story = await submitted(sections[3], '退回重审')
    await sign(staff.editor, story)
    await sign(staff.deskHead, story)
    const sentBack = await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: 'draft', stageNote: '补充采访' } as Partial<Story>,
      ...as(staff.chief),
    })
    expect(standing(sentBack)).toEqual([])
    expect(sentBack.signatures?.map((signature) => signature.voidReason)).toEqual(['退回修改', '退回修改'])
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: 'in_review' },
      ...as(staff.reporter),
    })
    expect(
      (await sign(staff.editor, story)).signatures?.filter((signature) => !signature.voidedAt),
    ).toHaveLength(1)
  })

  it('takes no signature from a client, over REST or GraphQL', async () => {
    const story = await submitted(sections[2], '伪造签字')
    const forged = [
      { level: 1, by: staff.chief.id, at: new Date().toISOString() },
      { level: 2, by: staff.chief.id, at: new Date().toISOString() },
    ]
    const rest = await kitchen.api.rest.PATCH(
      new Request(`http://localhost/api/stories/${story.id}?draft=true`, {
        method: 'PATCH',
        headers: { authorization: `JWT ${tokens.editor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ summary: '改导语', signatures: forged }),
      }),
      { params: Promise.resolve({ slug: ['stories', String(story.id)] }) },
    )
    expect(rest.status).toBe(200)
    expect(standing(await stored(story.id))).toEqual([])
    await kitchen.api.graphql(
      new Request('http://localhost/api/graphql', {
        method: 'POST',
        headers: { authorization: `JWT ${tokens.editor}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation ($id: Int!, $data: mutationStoryUpdateInput!) { updateStory(id: $id, data: $data, draft: true) { id } }`,
          variables: { id: story.id, data: { summary: '再改导语', signatures: forged } },
        }),
      }),
    )
    expect(standing(await stored(story.id))).toEqual([])
  })

  it('refuses an editor’s 签发 over REST with a JSON reason, and over GraphQL', async () => {
    const story = await submitted(sections[3], '接口签发')
    await sign(staff.editor, story)
    await sign(staff.deskHead, story)
    const rest = await kitchen.api.rest.PATCH(
      new Request(`http://localhost/api/stories/${story.id}?draft=true`, {
        method: 'PATCH',
        headers: { authorization: `JWT ${tokens.otherEditor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ stage: 'approved' }),
      }),
      { params: Promise.resolve({ slug: ['stories', String(story.id)] }) },
    )
    expect(rest.status).toBe(400)
    expect(JSON.stringify(await rest.json())).toContain('终审须由总编辑签字')
    const graphql = await kitchen.api.graphql(
      new Request('http://localhost/api/graphql', {
        method: 'POST',
        headers: { authorization: `JWT ${tokens.otherEditor}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation ($id: Int!) { updateStory(id: $id, data: { stage: approved }, draft: true) { id stage } }`,
          variables: { id: story.id },
        }),
      }),
    )
    const answer = (await graphql.json()) as { errors?: { message: string }[] }
    expect(JSON.stringify(answer.errors)).toContain('终审须由总编辑签字')
    expect((await stored(story.id)).stage).toBe('in_review')
    const chief = await kitchen.api.graphql(
      new Request('http://localhost/api/graphql', {
        method: 'POST',
        headers: { authorization: `JWT ${tokens.chief}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation ($id: Int!) { updateStory(id: $id, data: { stage: approved }, draft: true) { id stage } }`,
          variables: { id: story.id },
        }),
      }),
    )
    expect(
      ((await chief.json()) as { data: { updateStory: { stage: string } } }).data.updateStory.stage,
    ).toBe('approved')
  })

  it('restores an old version’s text only: the stage stays, the signatures are voided, the restore is audited', async () => {
    const story = await submitted(sections[2], '版本恢复')
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { summary: '第一版导语' },
      ...as(staff.reporter),
    })
    const { docs: versions } = await payload.findVersions({
      collection: collectionSlugs.stories,
      where: { parent: { equals: story.id } },
      sort: '-updatedAt',
      depth: 0,
    })
    const older = versions.find((version) => version.version.summary === '第一版导语')
    if (!older) throw new Error('no version with the first summary')
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { summary: '第二版导语' },
      ...as(staff.reporter),
    })
    await sign(staff.editor, story)
    await sign(staff.deskHead, story)
    expect((await stored(story.id)).stage).toBe('approved')

    const restore = await kitchen.api.rest.POST(
      new Request(`http://localhost/api/stories/versions/${older.id}?draft=true`, {
        method: 'POST',
        headers: { authorization: `JWT ${tokens.editor}` },
      }),
      { params: Promise.resolve({ slug: ['stories', 'versions', String(older.id)] }) },
    )
    expect(restore.status).toBe(200)
    const after = await stored(story.id)
    expect(after.summary).toBe('第一版导语')
    // The restored version was a draft in review; the story was approved and its text changed.
    expect(after.stage).toBe('in_review')
    expect(standing(after)).toEqual([])
    expect(after.stageHistory?.at(-1)).toMatchObject({ from: 'approved', to: 'in_review' })
    const { docs: audit } = await payload.find({
      collection: collectionSlugs.auditLog,
      where: { and: [{ docId: { equals: String(story.id) } }, { action: { equals: 'restored' } }] },
      depth: 0,
    })
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ user: staff.editor.id, detail: { restoredVersion: String(older.id) } })
  })

  it('lets only the chief editor or an admin change how many levels a section asks for', async () => {
    const patchLevels = (role: StaffRole, reviewLevels: number) =>
      kitchen.api.rest.PATCH(
        new Request(`http://localhost/api/sections/${sections[3]}`, {
          method: 'PATCH',
          headers: { authorization: `JWT ${tokens[role]}`, 'content-type': 'application/json' },
          body: JSON.stringify({ reviewLevels }),
        }),
        { params: Promise.resolve({ slug: ['sections', String(sections[3])] }) },
      )
    const levelsNow = async () =>
      (await payload.findByID({ collection: collectionSlugs.sections, id: sections[3], depth: 0 }))
        .reviewLevels
    for (const role of ['editor', 'deskHead'] as const) {
      await patchLevels(role, 1)
      expect(await levelsNow()).toBe(3)
    }
    expect((await patchLevels('chief', 2)).status).toBe(200)
    expect(await levelsNow()).toBe(2)
    await patchLevels('admin', 3)
    expect(await levelsNow()).toBe(3)
  })

  it('voids the signatures when the story moves to another section, whose levels then apply', async () => {
    const story = await submitted(sections[3], '换栏目')
    await sign(staff.editor, story)
    // Moved to a one-level section with its approval in the same save: the earlier signature
    // is void, and the editor's signature is the new section's one level.
    const moved = await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: 'approved', section: sections[1] } as Partial<Story>,
      ...as(staff.otherEditor),
    })
    expect(moved.stage).toBe('approved')
    expect(standing(moved)).toEqual([[1, staff.otherEditor.id]])
    // Moved back, the approval no longer stands: the three-level section's review starts again.
    const back = await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { section: sections[3] },
      ...as(staff.otherEditor),
    })
    expect(back.stage).toBe('in_review')
    expect(standing(back)).toEqual([])
  })

  it('restores a live story’s old version only as a draft: what readers see stays until it is published', async () => {
    const story = await submitted(sections[1], '已发布的旧版本')
    await sign(staff.editor, story)
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { _status: 'published' },
      user: staff.editor,
      overrideAccess: false,
    })
    const { docs: versions } = await payload.findVersions({
      collection: collectionSlugs.stories,
      where: { and: [{ parent: { equals: story.id } }, { 'version._status': { equals: 'draft' } }] },
      sort: 'updatedAt',
      depth: 0,
    })
    const older = versions[0]
    if (!older) throw new Error('no draft version')
    const restore = (asDraft: boolean) =>
      kitchen.api.rest.POST(
        new Request(`http://localhost/api/stories/versions/${older.id}${asDraft ? '?draft=true' : ''}`, {
          method: 'POST',
          headers: { authorization: `JWT ${tokens.editor}` },
        }),
        { params: Promise.resolve({ slug: ['stories', 'versions', String(older.id)] }) },
      )
    const refused = await restore(false)
    expect(refused.status).toBe(400)
    expect(JSON.stringify(await refused.json())).toContain('已发布的稿件请“恢复为草稿”')
    expect((await restore(true)).status).toBe(200)
    const live = await payload.findByID({ collection: collectionSlugs.stories, id: story.id, depth: 0 })
    expect(live).toMatchObject({ stage: 'published', _status: 'published' })
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.stories,
      where: { id: { equals: story.id } },
      overrideAccess: false,
    })
    expect(totalDocs).toBe(1)
  })
})
