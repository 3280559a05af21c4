import type { Reason } from '../../security/refusal.ts'

/**
 * A story the WeChat desk cannot take, with the HTTP status an endpoint answers it with: 400 a
 * reference that is neither an id nor a slug, 404 no such story, 422 a story that may not
 * leave the kitchen (a draft, withdrawn, under embargo), has no image for the cover or an image
 * that cannot be made small enough, 503 the official account is not configured. `message` is
 * one line, `中文 / English`; `reason` the two apart.
 */
export class WechatExportError extends Error {
  readonly status: number
  readonly reason: Reason
  constructor({ zh, en, status }: Reason & { status: number }) {
    super(`${zh} / ${en}`)
    this.name = 'WechatExportError'
    this.status = status
    this.reason = { zh, en }
  }
}
