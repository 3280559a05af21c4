import type { Payload, Where } from 'payload'
import { canceledNinjsItem, type NinjsItem, ninjsItem } from '../../channels/feeds/ninjs.ts'
import { houseRights } from '../../channels/house.ts'
import type { PublishedStory } from '../../channels/types.ts'
import type { Partner, Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { liveStages } from '../../workflow/stages.ts'
import { plateStory, storyGuid } from '../plate/plateStory.ts'

/** A withdrawn story stays in partner feeds, as canceled, this long. */
export const CANCELED_VISIBLE_MS = 7 * 24 * 3_600_000
export const PARTNER_FEED_LIMIT = 50

export interface PartnerItem {
  id: number
  version: number
  /** The plate, for live stories; none for a withdrawn one. */
  story: PublishedStory | null
  ninjs: NinjsItem
  changedAt: string
  /**
   * When the item last changed for a partner, for `?since=` (ms since 1970): the story's last
   * save, or the end of its embargo if that came later.
   */
  touchedAtMs: number
  isEmbargoed: boolean
}

/**
 * What one partner may receive, newest change first: published stories in its sections,
 * released, or (for early-release partners) still under embargo and flagged; and stories
 * withdrawn in the last 7 days, as canceled.
 */
export async function readPartnerItems({
  payload,
  partner,
  siteUrl,
  now,
  sectionId,
}: {
  payload: Payload
  partner: Partner
  siteUrl: string
  now: Date
  /** One of the partner's sections only (already checked to be in its scope). */
  sectionId?: number
}): Promise<PartnerItem[]> {
  const sections =
    sectionId !== undefined
      ? [sectionId]
      : (partner.allowedSections ?? []).map((s) => (typeof s === 'object' ? s.id : s))
  const released: Where = {
    or: [{ embargoUntil: { exists: false } }, { embargoUntil: { less_than_equal: now.toISOString() } }],
  }
  const where: Where = {
    and: [
      { _status: { equals: 'published' } },
      ...(sections.length ? [{ section: { in: sections } }] : []),
      {
        or: [
          { and: [{ stage: { in: [...liveStages] } }, ...(partner.earlyRelease ? [] : [released])] },
          {
            and: [
              { stage: { equals: 'withdrawn' } },
              {
                updatedAt: {
                  greater_than_equal: new Date(now.getTime() - CANCELED_VISIBLE_MS).toISOString(),
                },
              },
            ],
          },
        ],
      },
    ],
  }
  const { docs } = await payload.find({
    collection: collectionSlugs.stories,
    where,
    sort: ['-updatedAt', '-id'],
    limit: PARTNER_FEED_LIMIT,
    depth: 2,
    draft: false,
    overrideAccess: true,
  })
  return docs.map((doc) => partnerItem({ doc, siteUrl, now }))
}

function partnerItem({ doc, siteUrl, now }: { doc: Story; siteUrl: string; now: Date }): PartnerItem {
  const corrections = doc.corrections?.length ?? 0
  if (doc.stage === 'withdrawn') {
    const version = 2 + corrections
    return {
      id: doc.id,
      version,
      story: null,
      changedAt: doc.updatedAt,
      touchedAtMs: Date.parse(doc.updatedAt),
      isEmbargoed: false,
      ninjs: canceledNinjsItem({
        guid: storyGuid(doc.id),
        version,
        withdrawnAt: doc.updatedAt,
        firstcreated: doc.publishedAt ?? doc.createdAt,
      }),
    }
  }
  const embargoEndsMs = doc.embargoUntil ? Date.parse(doc.embargoUntil) : Number.NaN
  const isEmbargoed = embargoEndsMs > now.getTime()
  // The plate carries the embargo only while it holds: after release the story is plain usable.
  const story = {
    ...plateStory({ doc, rights: houseRights }),
    embargoUntil: isEmbargoed ? (doc.embargoUntil ?? null) : null,
  }
  return {
    id: doc.id,
    version: story.version,
    story,
    changedAt: story.updatedAt,
    touchedAtMs: Math.max(Date.parse(doc.updatedAt), isEmbargoed ? 0 : embargoEndsMs || 0),
    isEmbargoed,
    ninjs: ninjsItem({ story, siteUrl }),
  }
}
