import { expect } from 'vitest'
import type { TestKitchen } from './testPayload.ts'

/** The partner key endpoint, called by the user of `token`: POST issues a new key, DELETE revokes it. */
export function callPartnerKey({
  api,
  token,
  method,
  partnerId,
}: {
  api: TestKitchen['api']
  token: string
  method: 'POST' | 'DELETE'
  partnerId: number
}): Promise<Response> {
  return api.rest[method](
    new Request(`http://localhost/api/partners/${partnerId}/key`, {
      method,
      headers: { authorization: `JWT ${token}` },
    }),
    { params: Promise.resolve({ slug: ['partners', String(partnerId), 'key'] }) },
  )
}

/** A new key for the partner, issued to the admin of `token` (the endpoint must answer 201). */
export async function issuePartnerKey({
  api,
  token,
  partnerId,
}: {
  api: TestKitchen['api']
  token: string
  partnerId: number
}): Promise<string> {
  const issued = await callPartnerKey({ api, token, method: 'POST', partnerId })
  expect(issued.status).toBe(201)
  return String(((await issued.json()) as { key: string }).key)
}
