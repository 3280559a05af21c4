import { createTokenCache } from './accessToken.ts'
import type { WechatDraftArticle, WechatNewsItem } from './draftArticle.ts'
import { TOKEN_REJECTED_ERRCODES, WechatApiError } from './errors.ts'
import { BODY_IMAGE, imageForm, PERMANENT_IMAGE, type WechatImage } from './imageUpload.ts'

export type { WechatDraftArticle, WechatNewsItem } from './draftArticle.ts'
export type { WechatImage } from './imageUpload.ts'

/** WeChat's API for official accounts. */
export const WECHAT_API_BASE = 'https://api.weixin.qq.com'

/** How long a call may take before it counts as no answer. */
export const WECHAT_TIMEOUT_MS = 30_000

/**
 * The calls Hongyan makes to an official account (公众号). Drafts only: there is no call here
 * that publishes (freepublish) or mass-sends (message/mass); an editor sends from the draft box.
 */
export type WechatClient = {
  /** A valid access_token: the one held, or a new one (see createTokenCache). */
  accessToken: () => Promise<string>
  /** An image for inside an article (`media/uploadimg`, JPG/PNG under 1 MB): its URL, for `<img src>`. */
  uploadBodyImage: (image: WechatImage) => Promise<string>
  /** A permanent image (`material/add_material`, 10 MB at most), e.g. a cover: its media_id and URL. */
  addPermanentImage: (image: WechatImage) => Promise<{ mediaId: string; url: string }>
  /** A new draft of one article (`draft/add`): the draft's media_id. */
  addDraft: ({ article }: { article: WechatDraftArticle }) => Promise<string>
  /** Replaces the article at `index` (0, the first) of a draft (`draft/update`). */
  updateDraft: ({
    mediaId,
    index,
    article,
  }: {
    mediaId: string
    index?: number
    article: WechatDraftArticle
  }) => Promise<void>
  /** The articles of a draft as WeChat keeps them (`draft/get`), to check what was saved. */
  getDraft: ({ mediaId }: { mediaId: string }) => Promise<WechatNewsItem[]>
}

type Json = Record<string, unknown>

/**
 * A client of one official account. Every failure is a WechatApiError (describeWechatError
 * says it to an editor in one line). A call WeChat answers with 40001, 40014 or 42001 (the
 * access_token is no good) is made once more with a new token; nothing else is retried here.
 */
export function createWechatClient({
  appId,
  secret,
  apiBase = WECHAT_API_BASE,
  fetch = globalThis.fetch,
  now = () => Date.now(),
  timeoutMs = WECHAT_TIMEOUT_MS,
}: {
  appId: string
  secret: string
  apiBase?: string
  fetch?: typeof globalThis.fetch
  now?: () => number
  timeoutMs?: number
}): WechatClient {
  const setUp = { failure: 'refused', endpoint: '/cgi-bin/token' } as const
  if (!appId) throw new WechatApiError({ ...setUp, errcode: 41002, errmsg: 'the AppID is not set' })
  if (!secret) throw new WechatApiError({ ...setUp, errcode: 41004, errmsg: 'the AppSecret is not set' })
  if (!URL.canParse(apiBase)) throw new Error(`the WeChat API base ${JSON.stringify(apiBase)} is not a URL`)
  const base = apiBase.replace(/\/+$/, '')

  async function send({
    endpoint,
    query,
    init,
  }: {
    endpoint: string
    query: Record<string, string>
    init: RequestInit
  }): Promise<Json> {
    const url = `${base}${endpoint}?${new URLSearchParams(query)}`
    let status: number
    let text: string
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
      status = response.status
      text = await response.text()
    } catch (err) {
      throw new WechatApiError({
        failure: 'network',
        errmsg: networkReason({ err, timeoutMs }),
        endpoint,
        cause: err,
      })
    }
    const body = jsonObject(text)
    const errcode = body?.errcode
    if (typeof errcode === 'number' && errcode !== 0) {
      const errmsg = typeof body?.errmsg === 'string' ? body.errmsg : ''
      throw new WechatApiError({ failure: 'wechat', errcode, errmsg, endpoint, status: okOrNot(status) })
    }
    if (!body || status < 200 || status > 299) {
      const shown = redact(text.replace(/\s+/g, ' ').trim().slice(0, 200))
      const errmsg = `HTTP ${status}${body ? '' : ', not JSON'}: ${shown || '(empty)'}`
      throw new WechatApiError({ failure: 'answer', errmsg, endpoint, status })
    }
    return body
  }

  const tokens = createTokenCache({
    now,
    fetchToken: async () => {
      const endpoint = '/cgi-bin/token'
      const body = await send({
        endpoint,
        query: { grant_type: 'client_credential', appid: appId, secret },
        init: { method: 'GET' },
      })
      const expiresInS = body.expires_in
      if (typeof expiresInS !== 'number' || !(expiresInS > 0)) {
        throw new WechatApiError({ failure: 'answer', errmsg: 'the answer has no expires_in', endpoint })
      }
      return { token: stringField({ body, name: 'access_token', endpoint }), expiresInS }
    },
  })

  async function withToken({
    endpoint,
    query = {},
    init,
  }: {
    endpoint: string
    query?: Record<string, string>
    init: RequestInit
  }): Promise<Json> {
    const token = await tokens.get()
    try {
      return await send({ endpoint, query: { access_token: token, ...query }, init })
    } catch (err) {
      const isTokenRejected =
        err instanceof WechatApiError &&
        err.failure === 'wechat' &&
        TOKEN_REJECTED_ERRCODES.has(err.errcode ?? 0)
      if (!isTokenRejected) throw err
      tokens.drop({ token })
      return send({ endpoint, query: { access_token: await tokens.get(), ...query }, init })
    }
  }

  function postJson({ endpoint, value }: { endpoint: string; value: unknown }): Promise<Json> {
    // JSON.stringify leaves Chinese as it is (no \u escapes, which WeChat would keep as text).
    return withToken({
      endpoint,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(value),
      },
    })
  }

  return {
    accessToken: () => tokens.get(),
    uploadBodyImage: async (image) => {
      const endpoint = '/cgi-bin/media/uploadimg'
      const form = imageForm({ image, endpoint, rules: BODY_IMAGE })
      const body = await withToken({ endpoint, init: { method: 'POST', body: form } })
      return stringField({ body, name: 'url', endpoint })
    },
    addPermanentImage: async (image) => {
      const endpoint = '/cgi-bin/material/add_material'
      const form = imageForm({ image, endpoint, rules: PERMANENT_IMAGE })
      const body = await withToken({
        endpoint,
        query: { type: 'image' },
        init: { method: 'POST', body: form },
      })
      return {
        mediaId: stringField({ body, name: 'media_id', endpoint }),
        url: stringField({ body, name: 'url', endpoint }),
      }
    },
    addDraft: async ({ article }) => {
      const endpoint = '/cgi-bin/draft/add'
      const body = await postJson({ endpoint, value: { articles: [article] } })
      return stringField({ body, name: 'media_id', endpoint })
    },
    updateDraft: async ({ mediaId, index = 0, article }) => {
      await postJson({
        endpoint: '/cgi-bin/draft/update',
        value: { media_id: mediaId, index, articles: article },
      })
    },
    getDraft: async ({ mediaId }) => {
      const endpoint = '/cgi-bin/draft/get'
      const body = await postJson({ endpoint, value: { media_id: mediaId } })
      if (!Array.isArray(body.news_item)) {
        throw new WechatApiError({ failure: 'answer', errmsg: 'the answer has no news_item', endpoint })
      }
      return body.news_item as WechatNewsItem[]
    },
  }
}

/** A string field of WeChat's answer, or a WechatApiError when the answer lacks it. */
function stringField({ body, name, endpoint }: { body: Json; name: string; endpoint: string }): string {
  const value = body[name]
  if (typeof value === 'string' && value) return value
  throw new WechatApiError({ failure: 'answer', errmsg: `the answer has no ${name}`, endpoint })
}

function jsonObject(text: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
  } catch {
    // Not JSON: the caller reports the answer as it came.
    return undefined
  }
}

function okOrNot(status: number): number | undefined {
  return status >= 200 && status <= 299 ? undefined : status
}

/** Why no answer came, in a line: undici's `fetch failed` says nothing, its cause says why. */
function networkReason({ err, timeoutMs }: { err: unknown; timeoutMs: number }): string {
  if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`
  const reasons: string[] = []
  for (let at: unknown = err; at instanceof Error && reasons.length < 3; at = at.cause)
    reasons.push(at.message)
  return redact(reasons.join(': ') || String(err))
}

/** Credentials never reach a message, whatever an error quotes of the URL. */
function redact(text: string): string {
  return text.replace(/(secret|access_token)=[^&\s"']*/gi, '$1=***')
}
