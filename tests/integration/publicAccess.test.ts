import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedContext } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
const created: number[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  const section = await kitchen.payload.create({
    collection: collectionSlugs.sections,
    data: { name: '工匠故事', order: 1 },
  })
  const person = await kitchen.payload.create({
    collection: collectionSlugs.people,
    data: { name: '陈海生', contactPhone: '13800001111' },
  })
  const story = (title: string, isPublished: boolean) =>
    kitchen.payload.create({
      collection: collectionSlugs.stories,
      draft: !isPublished,
      context: seedContext,
      data: {
        title,
        section: section.id,
        people: [person.id],
        _status: isPublished ? 'published' : 'draft',
        stage: isPublished ? 'published' : 'draft',
      },
    })
  for (const doc of [await story('船坞里的焊花', true), await story('尚未审定的草稿', false)])
    created.push(doc.id)
})

afterAll(async () => {
  await kitchen?.cleanup()
})

async function anonymousRest(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const [collection = '', ...rest] = path.split('?')[0]?.split('/').filter(Boolean) ?? []
  const response = await kitchen.api.rest.GET(new Request(`http://localhost/api/${path}`), {
    params: Promise.resolve({ slug: [collection, ...rest] }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('an anonymous reader', () => {
  it('lists published stories but no drafts through REST', async () => {
    const { status, body } = await anonymousRest('stories?limit=100')
    expect(status).toBe(200)
    const titles = (body.docs as { title: string }[]).map((doc) => doc.title)
    expect(titles).toEqual(['船坞里的焊花'])
  })

  it('gets no draft by id through REST, even asking for drafts', async () => {
    const { status } = await anonymousRest(`stories/${created[1]}?draft=true`)
    expect(status).toBe(404)
  })

  it('sees published stories but no drafts through GraphQL', async () => {
    const response = await kitchen.api.graphql(
      new Request('http://localhost/api/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ Stories(limit: 100, draft: true) { docs { title _status } } }' }),
      }),
    )
    const { data } = (await response.json()) as { data: { Stories: { docs: { title: string }[] } } }
    expect(data.Stories.docs.map((doc) => doc.title)).toEqual(['船坞里的焊花'])
  })

  it('cannot read user accounts or a person’s internal phone number', async () => {
    const users = await anonymousRest('users')
    expect(users.status).toBe(403)
    const people = await anonymousRest('people?depth=0')
    expect(people.status).toBe(200)
    const [person] = people.body.docs as Record<string, unknown>[]
    expect(person?.name).toBe('陈海生')
    expect(person).not.toHaveProperty('contactPhone')
  })

  it('never gets the unpublished draft of a published story, even asking for drafts', async () => {
    const [publishedId] = created
    await kitchen.payload.update({
      collection: collectionSlugs.stories,
      id: publishedId ?? 0,
      data: { title: '尚未发布的改稿标题', internalNotes: '改稿中' },
      draft: true,
      context: seedContext,
    })
    for (const path of [`stories/${publishedId}?draft=true`, `stories/${publishedId}`]) {
      const { status, body } = await anonymousRest(path)
      expect(status, path).toBe(200)
      expect(body.title, path).toBe('船坞里的焊花')
      expect(JSON.stringify(body), path).not.toContain('改稿')
    }
    const { body } = await anonymousRest('stories?draft=true&limit=100')
    expect(JSON.stringify(body)).not.toContain('改稿')
  })
})
