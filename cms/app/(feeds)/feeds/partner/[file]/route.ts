import config from '@payload-config'
import { getPayload } from 'payload'
import { servePartnerFeed } from '../../../../../publishing/partnerFeed/servePartnerFeed.ts'
import { siteOrigin } from '../../../../../publishing/site/siteOrigin.ts'

export const dynamic = 'force-dynamic'

/** `GET /feeds/partner/<rss.xml|feed.json|ninjs.json>`: see servePartnerFeed. */
export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params
  const payload = await getPayload({ config })
  return servePartnerFeed({ payload, request, file, siteUrl: siteOrigin() })
}
