import type { Payload } from 'payload'
import type { User } from '../../cms/payload-types.ts'
import { collectionSlugs } from '../../cms/slugs.ts'

type Role = User['role']

/** Everyone on the staff a test made, by role: the users for the Local API, the tokens for `JWT` headers. */
export type Staff<R extends Role> = { users: Record<R, User>; tokens: Record<R, string> }

/**
 * One user a role, `<role>@<domain>` named after the role, each created and logged in in the
 * order given (the very first user of a database becomes an admin, whatever its role).
 */
export async function createStaff<R extends Role>({
  payload,
  domain,
  roles,
}: {
  payload: Payload
  domain: string
  roles: readonly R[]
}): Promise<Staff<R>> {
  const users = {} as Record<R, User>
  const tokens = {} as Record<R, string>
  for (const role of roles) {
    const email = `${role}@${domain}`
    users[role] = await payload.create({
      collection: collectionSlugs.users,
      data: { email, password: STAFF_PASSWORD, name: role, role },
    })
    const login = await payload.login({
      collection: collectionSlugs.users,
      data: { email, password: STAFF_PASSWORD },
    })
    tokens[role] = login.token ?? ''
  }
  return { users, tokens }
}

const STAFF_PASSWORD = 'a-long-test-password'
