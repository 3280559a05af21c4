import type { CollectionAfterReadHook, CollectionBeforeChangeHook, PayloadRequest } from 'payload'
import { newPartnerKey, newWebhookSecret } from '../../publishing/partnerFeed/partnerKeys.ts'

/** The plaintext of keys issued in this request, by partner id: shown once, never stored. */
const issuedKeys = new WeakMap<PayloadRequest, Map<string, { key: string; webhookSecret: string }>>()

/** The fields that make a fresh key (and webhook secret) the partner's only valid one. */
export function freshKeyFields({
  req,
  partnerId,
}: {
  req: PayloadRequest
  partnerId: string | number | undefined
}) {
  const { key, prefix, hash } = newPartnerKey()
  const webhookSecret = newWebhookSecret()
  const issued = issuedKeys.get(req) ?? new Map()
  issued.set(String(partnerId ?? 'new'), { key, webhookSecret })
  issuedKeys.set(req, issued)
  return {
    keyHash: hash,
    keyPrefix: prefix,
    keyIssuedAt: new Date().toISOString(),
    keyRevokedAt: null,
    webhookSecret,
  }
}

export function issuedKeyFor({ req, partnerId }: { req: PayloadRequest; partnerId: string | number }) {
  return issuedKeys.get(req)?.get(String(partnerId)) ?? issuedKeys.get(req)?.get('new')
}

/** 密钥操作 in the admin: issue a new key or revoke the current one when the partner is saved. */
export const manageKeyFromAdmin: CollectionBeforeChangeHook = ({ data, originalDoc, req }) => {
  const action = data.keyAction
  delete data.keyAction
  delete data.newKey
  if (action === 'issue') return { ...data, ...freshKeyFields({ req, partnerId: originalDoc?.id }) }
  if (action === 'revoke') return { ...data, keyRevokedAt: new Date().toISOString() }
  return data
}

/** The response to the save that issued a key carries it once, in `newKey`. */
export const showNewKeyOnce: CollectionAfterReadHook = ({ doc, req }) => {
  const issued = issuedKeyFor({ req, partnerId: doc.id })
  return issued ? { ...doc, newKey: issued.key, newWebhookSecret: issued.webhookSecret } : doc
}
