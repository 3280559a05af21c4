import { buildJsonFeed } from '../../channels/feeds/jsonFeed.ts'
import { buildRss } from '../../channels/feeds/rss.ts'
import { house } from '../../channels/house.ts'
import type { PublishedStory } from '../../channels/types.ts'
import type { Partner } from '../../payload-types.ts'
import { feedFileOf, type PartnerFormat } from './formats.ts'

/** What a body needs of an item: the plate (RSS, JSON Feed) or the item's ninjs JSON. */
type BodyItem = { story: PublishedStory | null; isEmbargoed: boolean; json: Buffer | null }

/** The bytes of a partner's feed of these items, in its format. */
export function feedBody({
  format,
  items,
  partner,
  siteUrl,
  now,
}: {
  format: PartnerFormat
  items: readonly BodyItem[]
  partner: Partner
  siteUrl: string
  now: Date
}): Buffer {
  if (format === 'ninjs') return ninjsBody({ partner, items })
  const channel = {
    title: `${house.name}（${partner.name}专供）`,
    description: house.description,
    siteUrl,
    homePath: '/',
    feedPath: `/feeds/partner/${feedFileOf(format)}`,
  }
  // RSS and JSON Feed have no way to flag an embargo: they carry released stories only.
  const released = items.flatMap((item) => (item.story && !item.isEmbargoed ? [item.story] : []))
  return Buffer.from(
    format === 'rss'
      ? buildRss({ stories: released, channel, now })
      : buildJsonFeed({ stories: released, channel }),
  )
}

/**
 * Points each item's JSON at its bytes in the whole ninjs feed (`body`, made by feedBody from
 * these items): each item's JSON kept once, as a slice of the whole feed's bytes.
 */
export function sliceNinjsItems({
  body,
  partner,
  items,
}: {
  body: Buffer
  partner: Partner
  items: readonly { json: Buffer | null }[]
}): void {
  let offset = ninjsHead(partner).length
  for (const item of items) {
    const length = (item.json as Buffer).length
    item.json = body.subarray(offset, offset + length)
    offset += length + COMMA.length
  }
}

/** `{ partner, items }`, each item's JSON copied in as it is. */
function ninjsBody({ partner, items }: { partner: Partner; items: readonly BodyItem[] }): Buffer {
  const parts: Buffer[] = [ninjsHead(partner)]
  items.forEach((item, index) => {
    if (index > 0) parts.push(COMMA)
    parts.push(item.json as Buffer)
  })
  parts.push(CLOSE)
  return Buffer.concat(parts)
}

const ninjsHead = (partner: Partner) => Buffer.from(`{"partner":${JSON.stringify(partner.name)},"items":[`)
const COMMA = Buffer.from(',')
const CLOSE = Buffer.from(']}\n')
