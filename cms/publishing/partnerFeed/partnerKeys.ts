import { createHash, randomBytes } from 'node:crypto'

/** Keys look like `hy_3f9a1c2e_<43 random characters>`: the prefix names the key in lists and logs. */
export function newPartnerKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString('hex')
  const key = `hy_${prefix}_${randomBytes(32).toString('base64url')}`
  return { key, prefix, hash: hashPartnerKey(key) }
}

/** Only this hash is stored: a leaked database does not leak working keys. */
export function hashPartnerKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** A webhook signing secret, shown to the partner once with their key. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`
