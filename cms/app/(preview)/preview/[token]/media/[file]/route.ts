import config from '@payload-config'
import { getPayload } from 'payload'
import { serveSharedMedia } from '../../../../../../publishing/preview/sharedPreview.ts'

export const dynamic = 'force-dynamic'

/** `GET /preview/<token>/media/<file>`: an image of a share link's preview (see serveSharedMedia). */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ token: string; file: string }> },
) {
  const { token, file } = await params
  const payload = await getPayload({ config })
  return serveSharedMedia({ payload, token, filename: file })
}
