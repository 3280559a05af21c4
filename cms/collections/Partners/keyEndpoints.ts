import type { Endpoint, PayloadRequest } from 'payload'
import { isAdmin } from '../../access/roles.ts'
import { collectionSlugs } from '../../slugs.ts'
import { freshKeyFields } from './keyHooks.ts'

const refuse = (status: number, error: string, reason: string) => Response.json({ error, reason }, { status })

async function partnerOf(req: PayloadRequest) {
  if (!isAdmin({ req }))
    return { failure: refuse(req.user ? 403 : 401, 'forbidden', 'only admins manage partner keys') }
  const id = Number(req.routeParams?.id)
  if (!Number.isInteger(id) || id <= 0)
    return { failure: refuse(400, 'bad request', 'the partner id must be a number') }
  const partner = await req.payload.findByID({
    collection: collectionSlugs.partners,
    id,
    depth: 0,
    disableErrors: true,
  })
  return partner ? { id } : { failure: refuse(404, 'not found', `no partner ${id}`) }
}

/**
 * `POST /api/partners/:id/key` issues a new key (the old one stops working at once) and
 * answers it once with the webhook secret; `DELETE` revokes the current key. Admins only.
 */
export const partnerKeyEndpoints: Endpoint[] = [
  {
    path: '/:id/key',
    method: 'post',
    handler: async (req) => {
      const found = await partnerOf(req)
      if (found.failure) return found.failure
      const fields = freshKeyFields({ req, partnerId: found.id })
      const partner = await req.payload.update({
        collection: collectionSlugs.partners,
        id: found.id,
        data: fields,
        req,
        overrideAccess: true,
      })
      const issued = partner as unknown as { newKey?: string; newWebhookSecret?: string; keyPrefix?: string }
      return Response.json(
        { key: issued.newKey, keyPrefix: issued.keyPrefix, webhookSecret: issued.newWebhookSecret },
        { status: 201, headers: { 'Cache-Control': 'no-store' } },
      )
    },
  },
  {
    path: '/:id/key',
    method: 'delete',
    handler: async (req) => {
      const found = await partnerOf(req)
      if (found.failure) return found.failure
      await req.payload.update({
        collection: collectionSlugs.partners,
        id: found.id,
        data: { keyRevokedAt: new Date().toISOString() },
        req,
        overrideAccess: true,
      })
      return Response.json({ revoked: true })
    },
  },
]
