import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * What the access matrix (tests/integration/accessMatrix.test.ts) does not reach: a user
 * raising their own role, and the endpoints beside the collections (partner keys, the jobs
 * queue, the public plate), for every role, through the real route handlers.
 */
type Role = 'anonymous' | 'reporter' | 'editor' | 'admin'
const roles: Role[] = ['anonymous', 'reporter', 'editor', 'admin']

let kitchen: TestKitchen
let payload: Payload
const tokens: Partial<Record<Role, string>> = {}
const userIds: Partial<Record<Role, number>> = {}
let partnerId: number

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  for (const role of ['admin', 'reporter', 'editor'] as const) {
    const email = `${role}@escalation.test`
    userIds[role] = (
      await payload.create({
        collection: collectionSlugs.users,
        data: { email, password: 'a-long-test-password', name: role, role },
      })
    ).id
    tokens[role] = (
      await payload.login({ collection: 'users', data: { email, password: 'a-long-test-password' } })
    ).token
  }
  partnerId = (
    await payload.create({
      collection: collectionSlugs.partners,
      data: { name: '工人日报' } as never,
      overrideAccess: true,
    })
  ).id
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

function call({
  role,
  method,
  path,
  body,
}: {
  role: Role
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  body?: unknown
}): Promise<Response> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['content-type'] = 'application/json'
  const token = tokens[role]
  if (token) headers.authorization = `JWT ${token}`
  const request = new Request(`http://localhost/api/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const slug = path.split('?')[0]?.split('/') ?? []
  return kitchen.api.rest[method](request, { params: Promise.resolve({ slug }) })
}

async function graphqlAs({ role, query }: { role: Role; query: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const token = tokens[role]
  if (token) headers.authorization = `JWT ${token}`
  const response = await kitchen.api.graphql(
    new Request('http://localhost/api/graphql', { method: 'POST', headers, body: JSON.stringify({ query }) }),
  )
  return { status: response.status, body: (await response.json()) as { errors?: unknown[] } }
}

const roleOf = async (id: number) =>
  (await payload.findByID({ collection: collectionSlugs.users, id, depth: 0, overrideAccess: true })).role

describe('a user raising their own role', () => {
  for (const role of ['reporter', 'editor'] as const) {
    it(`is refused to a ${role} over REST, and the role stays`, async () => {
      const id = userIds[role] as number
      const response = await call({ role, method: 'PATCH', path: `users/${id}`, body: { role: 'admin' } })
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({
        errors: [expect.objectContaining({ message: expect.stringMatching(/角色|role/) })],
      })
      expect(await roleOf(id)).toBe(role)
    })

    it(`is refused to a ${role} over GraphQL, and the role stays`, async () => {
      const id = userIds[role] as number
      const { body } = await graphqlAs({
        role,
        query: `mutation { updateUser(id: ${id}, data: { role: admin }) { role } }`,
      })
      expect(body.errors?.length ?? 0).toBeGreaterThan(0)
      expect(await roleOf(id)).toBe(role)
    })
  }

  it('still lets a user change their own name, and an admin change a role', async () => {
    const reporter = userIds.reporter as number
    const renamed = await call({
      role: 'reporter',
      method: 'PATCH',
      path: `users/${reporter}`,
      body: { name: '记者甲' },
    })
    expect(renamed.status).toBe(200)
    const promoted = await call({
      role: 'admin',
      method: 'PATCH',
      path: `users/${userIds.editor}`,
      body: { role: 'editor' },
    })
    expect(promoted.status).toBe(200)
    const demoted = await call({
      role: 'admin',
      method: 'PATCH',
      path: `users/${reporter}`,
      body: { role: 'editor' },
    })
    expect(demoted.status).toBe(200)
    expect(await roleOf(reporter)).toBe('editor')
    await payload.update({
      collection: collectionSlugs.users,
      id: reporter,
      data: { role: 'reporter' },
      overrideAccess: true,
    })
  })
})

describe('the endpoints beside the collections', () => {
  for (const role of roles) {
    const isAdmin = role === 'admin'
    const refused = role === 'anonymous' ? 401 : 403

    it(`partner keys: ${isAdmin ? 'an admin issues and revokes one' : `refused to ${role}`}`, async () => {
      const before = await payload.findByID({
        collection: collectionSlugs.partners,
        id: partnerId,
        overrideAccess: true,
      })
      const issued = await call({ role, method: 'POST', path: `partners/${partnerId}/key` })
      const revoked = await call({ role, method: 'DELETE', path: `partners/${partnerId}/key` })
      const after = await payload.findByID({
        collection: collectionSlugs.partners,
        id: partnerId,
        overrideAccess: true,
      })
      if (isAdmin) {
        expect(issued.status).toBe(201)
        expect((await issued.json()).key).toMatch(/\S{20,}/)
        expect(revoked.status).toBe(200)
        expect(after.keyRevokedAt).toBeTruthy()
      } else {
        expect([issued.status, revoked.status]).toEqual([refused, refused])
        expect(after.keyPrefix ?? null).toBe(before.keyPrefix ?? null)
        expect(after.keyRevokedAt ?? null).toBe(before.keyRevokedAt ?? null)
      }
    })

    it(`jobs queue: ${isAdmin ? 'only an admin runs it' : `${role} can neither read nor run it`}; nobody lists it over HTTP`, async () => {
      await payload.jobs.queue({
        task: 'partnerWebhook',
        input: { partnerId, event: 'published', storyId: 1, version: 1 },
        waitUntil: new Date(Date.now() + 3_600_000),
      })
      const list = await call({ role, method: 'GET', path: 'payload-jobs' })
      expect([401, 403]).toContain(list.status)
      expect(JSON.stringify(await list.json())).not.toContain('partnerWebhook')
      const run = await call({ role, method: 'GET', path: 'payload-jobs/run' })
      if (isAdmin) expect(run.status).toBe(200)
      else expect([401, 403]).toContain(run.status)
    })

    it(`the public plate answers ${role} with published stories only`, async () => {
      const draft = await payload.create({
        collection: collectionSlugs.stories,
        data: { title: `未发布的草稿 ${role}` } as never,
        draft: true,
        overrideAccess: true,
      })
      const response = await call({ role, method: 'GET', path: 'plate/stories' })
      expect(response.status).toBe(200)
      expect(JSON.stringify(await response.json())).not.toContain(`未发布的草稿 ${role}`)
      await payload.delete({ collection: collectionSlugs.stories, id: draft.id, overrideAccess: true })
    })
  }
})
