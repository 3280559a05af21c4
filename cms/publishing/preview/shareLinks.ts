import { createHash, randomBytes } from 'node:crypto'
import type { Payload } from 'payload'
import type { PreviewLink } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'

/** A share link lasts a day unless asked otherwise, and at most a week. */
export const DEFAULT_SHARE_HOURS = 24
export const MAX_SHARE_HOURS = 168

/** Where a share link's token is in its URL: `/preview/<token>`. */
export const sharePath = (token: string) => `/preview/${token}`

/** 32 random bytes, base64url: 43 characters that cannot be guessed. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** The SHA-256 of a token, hex: all the kitchen keeps of it. */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * A new share link to the web preview of a story: a random token, of which only the hash is
 * stored, valid for `hours` from `now`. The token is returned once, here: nobody can read it
 * back later, so a lost link is revoked and a new one made.
 */
export async function createShareLink({
  payload,
  storyId,
  userId,
  hours = DEFAULT_SHARE_HOURS,
  now = new Date(),
}: {
  payload: Payload
  storyId: number
  userId: number | null
  hours?: number
  now?: Date
}): Promise<{ link: PreviewLink; token: string }> {
  const token = randomBytes(32).toString('base64url')
  const link = await payload.create({
    collection: collectionSlugs.previewLinks,
    data: {
      story: storyId,
      tokenHash: hashShareToken(token),
      expiresAt: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      createdBy: userId,
    },
    overrideAccess: true,
  })
  return { link, token }
}

/** What a token opens: its link while valid, else why not. */
export type ShareLinkState =
  | { state: 'valid'; link: PreviewLink; storyId: number }
  | { state: 'expired' | 'revoked'; link: PreviewLink }
  | { state: 'unknown' }

/** The link a token belongs to, and whether it still opens (not revoked, not past its expiry at `now`). */
export async function findShareLink({
  payload,
  token,
  now = new Date(),
}: {
  payload: Payload
  token: string
  now?: Date
}): Promise<ShareLinkState> {
  if (!TOKEN_PATTERN.test(token)) return { state: 'unknown' }
  const { docs } = await payload.find({
    collection: collectionSlugs.previewLinks,
    where: { tokenHash: { equals: hashShareToken(token) } },
    depth: 0,
    limit: 1,
    overrideAccess: true,
  })
  const link = docs[0]
  if (!link) return { state: 'unknown' }
  if (link.revokedAt) return { state: 'revoked', link }
  if (Date.parse(link.expiresAt) <= now.getTime()) return { state: 'expired', link }
  return { state: 'valid', link, storyId: idOf(link.story) }
}

/** The story's links that still open at `now`, newest first. */
export async function openShareLinks({
  payload,
  storyId,
  now = new Date(),
}: {
  payload: Payload
  storyId: number
  now?: Date
}): Promise<PreviewLink[]> {
  const { docs } = await payload.find({
    collection: collectionSlugs.previewLinks,
    where: {
      and: [
        { story: { equals: storyId } },
        { revokedAt: { exists: false } },
        { expiresAt: { greater_than: now.toISOString() } },
      ],
    },
    sort: '-createdAt',
    depth: 1,
    pagination: false,
    overrideAccess: true,
  })
  return docs
}

/** Revokes the link (kept, with when): from now on its token answers that it was revoked. */
export async function revokeShareLink({
  payload,
  link,
  now = new Date(),
}: {
  payload: Payload
  link: PreviewLink
  now?: Date
}): Promise<PreviewLink> {
  if (link.revokedAt) return link
  return payload.update({
    collection: collectionSlugs.previewLinks,
    id: link.id,
    data: { revokedAt: now.toISOString() },
    overrideAccess: true,
  })
}

export const idOf = (value: number | { id: number }): number => (typeof value === 'number' ? value : value.id)
