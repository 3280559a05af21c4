import config from '@payload-config'
import { getPayload } from 'payload'
import { serveSharedPreview } from '../../../../publishing/preview/sharedPreview.ts'
import { siteOrigin } from '../../../../publishing/site/siteOrigin.ts'

export const dynamic = 'force-dynamic'

/** `GET /preview/<token>`: a share link's web preview (see serveSharedPreview). */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const payload = await getPayload({ config })
  return serveSharedPreview({ payload, token, siteUrl: siteOrigin() })
}
