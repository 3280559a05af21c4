import type { Endpoint, PayloadRequest } from 'payload'
import { isAdmin } from '../../access/roles.ts'
import { refusalResponse } from '../../security/refusal.ts'
import { collectionSlugs } from '../../slugs.ts'
import { freshKeyFields } from './keyHooks.ts'

async function partnerOf(req: PayloadRequest) {
  if (!isAdmin({ req }))
    return {
      failure: refusalResponse({
        code: req.user ? 'forbidden' : 'unauthorized',
        reason: { en: 'only admins manage partner keys', zh: '只有管理员可以管理合作方密钥' },
      }),
    }
  const id = Number(req.routeParams?.id)
  if (!Number.isInteger(id) || id <= 0)
    return {
      failure: refusalResponse({
        code: 'bad_id',
        reason: { en: 'the partner id must be a number', zh: '合作方 id 必须是数字' },
      }),
    }
  const partner = await req.payload.findByID({
    collection: collectionSlugs.partners,
    id,
    depth: 0,
    disableErrors: true,
  })
  if (partner) return { id }
  return {
    failure: refusalResponse({
      code: 'not_found',
      reason: { en: `no partner ${id}`, zh: `没有合作方 ${id}` },
    }),
  }
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
