import type { Reason } from '../../security/refusal.ts'

/**
 * A preview that cannot be shown, with the HTTP status it answers with: 400 a malformed
 * version id, 404 no such story (or no such version of it). `reason` says why in both
 * languages of the house.
 */
export class PreviewError extends Error {
  readonly status: 400 | 404
  readonly reason: Reason
  constructor({ zh, en, status }: Reason & { status: 400 | 404 }) {
    super(`${zh} / ${en}`)
    this.name = 'PreviewError'
    this.status = status
    this.reason = { zh, en }
  }
}
