import type { Payload } from 'payload'
import type { Partner } from '../../payload-types.ts'
import type { Reason } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'
import type { FeedRequest } from './feedRequest.ts'
import type { PartnerFormat } from './formats.ts'
import type { Freshness } from './freshness.ts'

/** Longer than any key we issue: refused without hashing or a lookup. */
export const MAX_KEY_LENGTH = 200

/** The key a request carries: `Authorization: Bearer <key>`, or `?key=` for readers without headers. */
export function keyOf(request: FeedRequest): string | null {
  const header = request.header('authorization')
  const fromHeader = header?.match(/^\s*Bearer\s+(\S+)\s*$/i)?.[1]
  return fromHeader ?? request.query.get('key') ?? null
}

/** Why this partner may not take this format now (a 403), or null when it may. */
export function scopeRefusal({
  partner,
  format,
  now,
}: {
  partner: Partner
  format: PartnerFormat
  now: Date
}): Reason | null {
  if (partner.keyRevokedAt) return { en: 'this key was revoked', zh: '此密钥已被吊销' }
  if (!partner.active) return { en: 'this partner is not active', zh: '此合作方未启用' }
  if (partner.expiresAt && new Date(partner.expiresAt) <= now)
    return { en: 'this partner agreement has expired', zh: '此合作方协议已过期' }
  if (!(partner.allowedFormats ?? []).includes(format))
    return {
      en: `the ${format} format is not licensed to this partner`,
      zh: `此合作方未获授权使用 ${format} 格式`,
    }
  return null
}

/**
 * `?section=<slug>` narrows a feed to one of the partner's sections: its id, or why not (no
 * such section, or one the partner is not licensed for).
 */
export async function sectionScope({
  payload,
  partner,
  slug,
  freshness,
}: {
  payload: Payload
  partner: Partner
  slug: string
  freshness: Freshness
}): Promise<number | 'unknown' | 'out of scope'> {
  let known = sectionsBySlug.get(slug)
  if (known?.stamp !== freshness.content) {
    const { docs } = await payload.find({
      collection: collectionSlugs.sections,
      where: { slug: { equals: slug } },
      limit: 1,
      depth: 0,
      overrideAccess: true,
    })
    known = { stamp: freshness.content, id: docs[0]?.id ?? null }
    if (sectionsBySlug.size >= 1_000) sectionsBySlug.clear()
    sectionsBySlug.set(slug, known)
  }
  if (known.id === null) return 'unknown'
  const allowed = (partner.allowedSections ?? []).map((s) => (typeof s === 'object' ? s.id : s))
  return allowed.length === 0 || allowed.includes(known.id) ? known.id : 'out of scope'
}

/** Section ids by slug (null: no such section), as of a content stamp (sections are part of it). */
const sectionsBySlug = new Map<string, { stamp: string; id: number | null }>()
