import type { Payload } from 'payload'
import { expect } from 'vitest'
import type { Story, User } from '../../cms/payload-types.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { createStaff } from './staff.ts'
import type { TestKitchen } from './testPayload.ts'

/** A reporter who writes stories in one section, and an editor who reviews them and schedules them through the schedule API. */
export type ScheduleDesk = {
  editorToken: string
  /** A story of the reporter's, in the section, taken through review (the editor's) to approved. */
  approvedStory: (title: string) => Promise<Story>
  /** The story's publication at `at`, asked of the schedule API by the editor: it must accept it. */
  schedulePublication: (schedule: { storyId: number; at: Date }) => Promise<void>
}

/** An admin, an editor and a reporter of `domain` (all logged in), then a one-level section named `sectionName`. */
export async function openScheduleDesk({
  kitchen,
  domain,
  sectionName,
}: {
  kitchen: TestKitchen
  domain: string
  sectionName: string
}): Promise<ScheduleDesk> {
  const { payload } = kitchen
  const { users, tokens } = await createStaff({ payload, domain, roles: ['admin', 'editor', 'reporter'] })
  // One review level: the editor's approval is the review (三审 is tested in reviewLevels.test.ts).
  const section = await payload.create({
    collection: collectionSlugs.sections,
    data: { name: sectionName, order: 1, reviewLevels: 1 },
  })
  return {
    editorToken: tokens.editor,
    approvedStory: (title) =>
      approvedStory({
        payload,
        writer: users.reporter,
        reviewers: [users.editor],
        title,
        section: section.id,
      }),
    schedulePublication: ({ storyId, at }) =>
      schedulePublication({ api: kitchen.api, token: tokens.editor, storyId, at }),
  }
}

/**
 * A draft story that `writer` wrote and submitted, taken through review to approved as the desk
 * does (access checked): `reviewers` sign its section's levels in turn (nobody reviews their own).
 */
export async function approvedStory({
  payload,
  writer,
  reviewers,
  title,
  section,
}: {
  payload: Payload
  writer: User
  reviewers: User[]
  title: string
  section: number
}): Promise<Story> {
  const as = { user: writer, overrideAccess: false, draft: true }
  // A body of words: the pre-publication check refuses to approve an empty story.
  const body = savedState(root(paragraph(text(`${title}。正文。`)))) as unknown as Story['body']
  const story = await payload.create({
    collection: collectionSlugs.stories,
    data: { title, section, body },
    ...as,
  })
  await payload.update({
    collection: collectionSlugs.stories,
    id: story.id,
    data: { stage: 'in_review' },
    ...as,
  })
  // Each review level's signature in turn (one on a one-level section).
  for (const reviewer of reviewers) {
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { stage: 'approved' },
      ...as,
      user: reviewer,
    })
  }
  return story
}

/** How many times the story went live, by the audit log: a schedule must publish once, never twice. */
export async function timesPublished({ payload, storyId }: { payload: Payload; storyId: number }) {
  const { totalDocs } = await payload.count({
    collection: collectionSlugs.auditLog,
    where: { and: [{ docId: { equals: String(storyId) } }, { action: { equals: 'published' } }] },
  })
  return totalDocs
}

/** The story's publication at `at`, asked of the schedule API by the editor of `token`: it must accept it. */
async function schedulePublication({
  api,
  token,
  storyId,
  at,
}: {
  api: TestKitchen['api']
  token: string
  storyId: number
  at: Date
}): Promise<void> {
  const response = await api.rest.POST(
    new Request(`http://localhost/api/stories/${storyId}/schedule`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${token}` },
      body: JSON.stringify({ action: 'publish', at: at.toISOString() }),
    }),
    { params: Promise.resolve({ slug: ['stories', String(storyId), 'schedule'] }) },
  )
  expect(response.status).toBe(201)
}
