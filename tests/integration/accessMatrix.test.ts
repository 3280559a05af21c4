import { randomUUID } from 'node:crypto'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedContext } from '../../cms/seed/index.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * The roles table of the workflow, enforced through both public APIs: every role ×
 * collection × operation, asserting both the answer and its effect in the database.
 * Documents acted on belong to another reporter ("others'").
 */
type Role = 'anonymous' | 'reporter' | 'editor' | 'deskHead' | 'chief' | 'admin'
type Operation = 'create' | 'read' | 'update' | 'delete' | 'publish'
type Collection = 'stories' | 'sections' | 'people' | 'media' | 'users' | 'audit-log'

const everyone: Role[] = ['anonymous', 'reporter', 'editor', 'deskHead', 'chief', 'admin']
const staff: Role[] = ['reporter', 'editor', 'deskHead', 'chief', 'admin']
// The desk: editors, desk heads (部门主任) and the chief editor (总编辑), and admins.
const desk: Role[] = ['editor', 'deskHead', 'chief', 'admin']

const allowed: Record<Collection, Partial<Record<Operation, Role[]>>> = {
  stories: { create: staff, read: staff, update: desk, delete: desk, publish: desk },
  sections: { create: desk, read: everyone, update: desk, delete: desk },
  people: { create: desk, read: everyone, update: desk, delete: desk },
  // Images only as part of a published story (the plate); the media API is for staff.
  media: { create: staff, read: staff, update: desk, delete: desk },
  users: { create: ['admin'], read: staff, update: ['admin'], delete: ['admin'] },
  'audit-log': { create: [], read: desk, update: [], delete: [] },
}

const graphqlNames: Record<Collection, { one: string; list: string }> = {
  stories: { one: 'Story', list: 'Stories' },
  sections: { one: 'Section', list: 'Sections' },
  people: { one: 'Person', list: 'People' },
  media: { one: 'Media', list: 'allMedia' },
  users: { one: 'User', list: 'Users' },
  'audit-log': { one: 'AuditLog', list: 'AuditLogs' },
}

let kitchen: TestKitchen
let payload: Payload
let rest: TestKitchen['api']['rest']
let graphql: TestKitchen['api']['graphql']
let sectionId: number
let ownerId: number
const tokens: Partial<Record<Role, string>> = {}

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  ;({ rest, graphql } = kitchen.api)
  sectionId =
    // One review level: an editor’s approval is the review (三审 is tested in reviewLevels.test.ts).
    (
      await payload.create({
        collection: collectionSlugs.sections,
        data: { name: '矩阵', order: 1, reviewLevels: 1 },
      })
    ).id
  for (const role of ['admin', 'reporter', 'editor', 'deskHead', 'chief'] as const) {
    const email = `${role}@matrix.test`
    await payload.create({
      collection: collectionSlugs.users,
      data: { email, password: 'a-long-test-password', name: role, role },
    })
    tokens[role] = (
      await payload.login({ collection: 'users', data: { email, password: 'a-long-test-password' } })
    ).token
  }
  ownerId = (
    await payload.create({
      collection: collectionSlugs.users,
      data: { email: 'owner@matrix.test', password: 'a-long-test-password', name: 'owner', role: 'reporter' },
    })
  ).id
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

/** A document of another reporter's, created with the server's authority, for one case. */
async function fixture(collection: Collection, { isApproved = false } = {}): Promise<number> {
  const unique = randomUUID().slice(0, 8)
  const owner = { id: ownerId, collection: 'users' }
  switch (collection) {
    case 'stories':
      return (
        await payload.create({
          collection,
          draft: true,
          context: isApproved ? seedContext : {},
          user: owner,
          data: {
            title: `他人的稿件 ${unique}`,
            section: sectionId,
            // Words in the body: an empty story fails the pre-publication check.
            body: savedState(root(paragraph(text(`他人的稿件 ${unique} 的正文。`)))),
            stage: isApproved ? 'approved' : 'draft',
          },
        })
      ).id
    case 'sections':
      return (await payload.create({ collection, data: { name: `栏目 ${unique}`, order: 5 } })).id
    case 'people':
      return (await payload.create({ collection, data: { name: `劳模 ${unique}` } })).id
    case 'media': {
      const data = await jpeg()
      return (
        await payload.create({
          collection,
          user: owner,
          data: { alt: `图片 ${unique}` },
          file: { data, mimetype: 'image/jpeg', name: `${unique}.jpg`, size: data.length },
        })
      ).id
    }
    case 'users':
      return (
        await payload.create({
          collection,
          data: {
            email: `${unique}@matrix.test`,
            password: 'a-long-test-password',
            name: unique,
            role: 'reporter',
          },
        })
      ).id
    case 'audit-log':
      return (
        await payload.create({
          collection,
          data: { action: 'edited', collection: 'stories', docId: unique, at: new Date().toISOString() },
        })
      ).id
  }
}

function newData(collection: Collection): Record<string, unknown> {
  const unique = randomUUID().slice(0, 8)
  switch (collection) {
    case 'stories':
      return { title: `新稿件 ${unique}`, section: sectionId }
    case 'sections':
      return { name: `新栏目 ${unique}`, order: 9 }
    case 'people':
      return { name: `新劳模 ${unique}` }
    case 'users':
      return { email: `${unique}@new.test`, password: 'a-long-test-password', name: unique, role: 'reporter' }
    case 'audit-log':
      return { action: 'deleted', collection: 'stories', docId: unique, at: new Date().toISOString() }
    case 'media':
      return { alt: `新图片 ${unique}` }
  }
}

const changedField: Record<Collection, string> = {
  stories: 'summary',
  sections: 'description',
  people: 'bio',
  media: 'caption',
  users: 'name',
  'audit-log': 'docId',
}

function headers(role: Role, extra: Record<string, string> = {}): Record<string, string> {
  const token = tokens[role as Exclude<Role, 'anonymous'>]
  return token ? { authorization: `JWT ${token}`, ...extra } : extra
}

async function viaRest({
  role,
  method,
  path,
  body,
}: {
  role: Role
  method: keyof typeof rest
  path: string
  body?: unknown
}): Promise<{ ok: boolean; json: Record<string, unknown> }> {
  const segments = path.split('?')[0]?.split('/').filter(Boolean) ?? []
  const isForm = body instanceof FormData
  const response = await rest[method](
    new Request(`http://localhost/api/${path}`, {
      method,
      headers: headers(role, body && !isForm ? { 'content-type': 'application/json' } : {}),
      body: isForm ? body : body ? JSON.stringify(body) : undefined,
    }),
    { params: Promise.resolve({ slug: segments }) },
  )
  expect(response.status, `${method} ${path} as ${role}`).toBeLessThan(500)
  return { ok: response.ok, json: (await response.json()) as Record<string, unknown> }
}

async function viaGraphql({
  role,
  query,
  variables,
}: {
  role: Role
  query: string
  variables: Record<string, unknown>
}): Promise<{ ok: boolean; data: Record<string, unknown> | null }> {
  const response = await graphql(
    new Request('http://localhost/api/graphql', {
      method: 'POST',
      headers: headers(role, { 'content-type': 'application/json' }),
      body: JSON.stringify({ query, variables }),
    }),
  )
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: unknown[] }
  return { ok: !body.errors?.length, data: body.data ?? null }
}

async function jpeg(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 3, background: '#b3261e' } })
    .jpeg()
    .toBuffer()
}

async function exists(collection: Collection, id: number): Promise<boolean> {
  const { totalDocs } = await payload.count({ collection, where: { id: { equals: id } } })
  return totalDocs === 1
}

/** Performs `operation` as `role` and reports whether it took effect. */
async function attempt({
  transport,
  collection,
  operation,
  role,
}: {
  transport: 'rest' | 'graphql'
  collection: Collection
  operation: Operation
  role: Role
}): Promise<boolean> {
  const names = graphqlNames[collection]
  if (operation === 'create') {
    const data = newData(collection)
    const before = (await payload.count({ collection })).totalDocs
    let ok: boolean
    if (collection === 'media') {
      const form = new FormData()
      form.append('file', new Blob([new Uint8Array(await jpeg())], { type: 'image/jpeg' }), 'new.jpg')
      form.append('_payload', JSON.stringify(data))
      ok = (await viaRest({ role, method: 'POST', path: 'media', body: form })).ok
    } else if (transport === 'rest') {
      ok = (await viaRest({ role, method: 'POST', path: collection, body: data })).ok
    } else {
      const query = `mutation ($data: mutation${names.one}Input!) { create${names.one}(data: $data) { id } }`
      ok = (await viaGraphql({ role, query, variables: { data } })).ok
    }
    const after = (await payload.count({ collection })).totalDocs
    expect(after - before, 'a refused create changes nothing').toBe(ok ? 1 : 0)
    return ok
  }
  if (operation === 'read') {
    const id = await fixture(collection)
    const ids =
      transport === 'rest'
        ? ((await viaRest({ role, method: 'GET', path: `${collection}?limit=1000&depth=0` })).json.docs as
            | { id: number }[]
            | undefined)
        : ((
            (
              await viaGraphql({
                role,
                query: `{ ${names.list}(limit: 1000) { docs { id } } }`,
                variables: {},
              })
            ).data?.[names.list] as { docs?: { id: number }[] } | null
          )?.docs ?? undefined)
    return (ids ?? []).some((doc) => doc.id === id)
  }
  const id = await fixture(collection, { isApproved: operation === 'publish' })
  if (operation === 'delete') {
    if (transport === 'rest') await viaRest({ role, method: 'DELETE', path: `${collection}/${id}` })
    else
      await viaGraphql({
        role,
        query: `mutation ($id: Int!) { delete${names.one}(id: $id) { id } }`,
        variables: { id },
      })
    return !(await exists(collection, id))
  }
  const field = operation === 'publish' ? '_status' : changedField[collection]
  const value = operation === 'publish' ? 'published' : `改动 ${randomUUID().slice(0, 6)}`
  const data = { [field]: value }
  if (transport === 'rest') {
    await viaRest({
      role,
      method: 'PATCH',
      path: `${collection}/${id}${operation === 'update' && collection === 'stories' ? '?draft=true' : ''}`,
      body: data,
    })
  } else {
    const draft = operation === 'update' && collection === 'stories'
    const query = `mutation ($id: Int!, $data: mutation${names.one}UpdateInput!) { update${names.one}(id: $id, data: $data${draft ? ', draft: true' : ''}) { id } }`
    await viaGraphql({ role, query, variables: { id, data } })
  }
  const stored: Record<string, unknown> = {
    ...(await payload.findByID({ collection, id, draft: true, depth: 0 })),
  }
  return operation === 'publish' ? stored.stage === 'published' : stored[field] === value
}

for (const transport of ['rest', 'graphql'] as const) {
  describe(`access through ${transport === 'rest' ? 'REST' : 'GraphQL'}`, () => {
    for (const [collection, operations] of Object.entries(allowed) as [
      Collection,
      Partial<Record<Operation, Role[]>>,
    ][]) {
      for (const [operation, roles] of Object.entries(operations) as [Operation, Role[]][]) {
        it(`${collection} ${operation}: only ${roles.join(', ') || 'no one'}`, async () => {
          const outcomes = {} as Record<Role, boolean>
          for (const role of everyone)
            outcomes[role] = await attempt({ transport, collection, operation, role })
          expect(outcomes).toEqual(Object.fromEntries(everyone.map((role) => [role, roles.includes(role)])))
        })
      }
    }
  })
}

describe('what an anonymous reader gets from lists', () => {
  it('sees published stories only, and no staff-only fields', async () => {
    const published = await payload.create({
      collection: collectionSlugs.stories,
      context: seedContext,
      data: {
        title: '矩阵里已发布的稿件',
        section: sectionId,
        stage: 'published',
        _status: 'published',
        internalNotes: '内部备注',
      },
    })
    const draft = await fixture('stories')
    const { json } = await viaRest({ role: 'anonymous', method: 'GET', path: 'stories?limit=1000' })
    const docs = json.docs as Record<string, unknown>[]
    expect(docs.map((doc) => doc.id)).toContain(published.id)
    expect(docs.map((doc) => doc.id)).not.toContain(draft)
    expect(docs.find((doc) => doc.id === published.id)).not.toHaveProperty('internalNotes')
    const listed = await viaGraphql({
      role: 'anonymous',
      query: '{ Stories(limit: 1000) { docs { id internalNotes } } }',
      variables: {},
    })
    const seen =
      (listed.data?.Stories as { docs: { id: number; internalNotes: string | null }[] } | undefined)?.docs ??
      []
    const all = await payload.find({ collection: collectionSlugs.stories, pagination: false, depth: 0 })
    const live = all.docs.filter((doc) => doc._status === 'published' && doc.stage === 'published')
    expect(live.length).toBeLessThan(all.docs.length)
    expect(seen.map((doc) => doc.id).sort()).toEqual(live.map((doc) => doc.id).sort())
    expect(seen.every((doc) => doc.internalNotes === null)).toBe(true)
  })
})
