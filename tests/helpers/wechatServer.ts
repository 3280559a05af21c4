import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileTypeFromBuffer } from 'file-type'
import type { WechatNewsItem } from '../../cms/publishing/wechat/draftArticle.ts'
import { checkArticle, type DraftContext, keepUnicodeEscapesAsText } from './wechatDraftRules.ts'
import { readMultipartFiles } from './wechatMultipart.ts'

/** A request the server got, and the errcode it answered (0: success; -404: no such endpoint). */
export type RecordedRequest = {
  method: string
  path: string
  query: Record<string, string>
  contentType: string | undefined
  body: Buffer
  errcode: number
}

/** An image the server hosts: uploadimg's and add_material's. */
export type HostedImage = { url: string; ext: string; bytes: Buffer; filename: string }

/** A fake of api.weixin.qq.com for one official account: see startWechatServer. */
export type WechatServer = {
  /** Use as the client's apiBase. */
  url: string
  requests: RecordedRequest[]
  /** Drafts by media_id, their articles as draft/get answers them. */
  drafts: Map<string, WechatNewsItem[]>
  /** Permanent images by media_id. */
  materials: Map<string, HostedImage & { mediaId: string }>
  /** uploadimg's images by URL. */
  uploads: Map<string, HostedImage>
  /** Image sources WeChat dropped from draft content: not hosted here. */
  filteredImages: string[]
  /** Calls left today (token calls not counted); undefined: no limit. At 0 every call answers 45009. */
  quotaLeft: number | undefined
  /** Every access_token issued so far answers 42001 from now on. */
  expireTokens: () => void
  /** The next request to `path` answers this error, whatever it holds. */
  failNext: ({ path, errcode, errmsg }: { path: string; errcode: number; errmsg?: string }) => void
  close: () => Promise<void>
}

/** WeChat's errmsg for each errcode the server answers. */
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40006: 'invalid meida size',
  40007: 'invalid media_id',
  40009: 'invalid image size',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41005: 'media data missing',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  44002: 'empty post data',
  45002: 'content size out of limit',
  45003: 'title size out of limit',
  45004: 'description size out of limit',
  45005: 'link size out of limit',
  45008: 'article size out of limit',
  45009: 'reach max api daily quota limit',
  45110: 'author size out of limit',
  47001: 'data format error',
}

const BODY_IMAGE = {
  types: ['jpg', 'png'],
  names: ['jpg', 'jpeg', 'png'],
  maxBytes: 1024 * 1024,
  tooLarge: 40009,
}
const PERMANENT_IMAGE = {
  types: ['jpg', 'png', 'gif', 'bmp'],
  names: ['jpg', 'jpeg', 'png', 'gif', 'bmp'],
  maxBytes: 10 * 1024 * 1024,
  tooLarge: 40006,
}
const MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  bmp: 'image/bmp',
}
const TOKEN_TTL_S = 7200
const MAX_ARTICLES = 8

type Answer = Record<string, unknown>
type Call = { method: string; query: Record<string, string>; contentType: string | undefined; body: Buffer }

/**
 * A local server that answers as api.weixin.qq.com does for the calls Hongyan makes (token,
 * media/uploadimg, material/add_material, draft/add, draft/update, draft/get), with WeChat's
 * errcodes and errmsgs (a `rid` appended, as WeChat does), so the client is tested against
 * the refusals it will meet. Every answer is HTTP 200 JSON, slashes escaped as WeChat's are;
 * the images it hosts are served back from `/mmbiz_<ext>/<id>/0`.
 */
export async function startWechatServer({
  appId,
  secret,
  quotaLeft,
}: {
  appId: string
  secret: string
  quotaLeft?: number
}): Promise<WechatServer> {
  const tokens = new Map<string, 'valid' | 'expired'>()
  const failures: { path: string; errcode: number; errmsg?: string }[] = []
  const hosted = new Map<string, HostedImage>()
  const http = createServer((incoming, outgoing) => {
    answer(incoming)
      .then(({ status, type, body }) => {
        outgoing.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length) })
        outgoing.end(body)
      })
      .catch((err: unknown) => {
        outgoing.writeHead(500, { 'Content-Type': 'text/plain' })
        outgoing.end(String(err))
      })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`

  const server: WechatServer = {
    url,
    requests: [],
    drafts: new Map(),
    materials: new Map(),
    uploads: new Map(),
    filteredImages: [],
    quotaLeft,
    expireTokens: () => {
      for (const token of tokens.keys()) tokens.set(token, 'expired')
    },
    failNext: (failure) => {
      failures.push(failure)
    },
    close: async () => {
      http.closeAllConnections()
      await new Promise<void>((resolve, reject) => http.close((err) => (err ? reject(err) : resolve())))
    },
  }

  const routes: Record<string, (call: Call) => Promise<Answer> | Answer> = {
    '/cgi-bin/token': token,
    '/cgi-bin/media/uploadimg': (call) => withToken(call, uploadImage),
    '/cgi-bin/material/add_material': (call) => withToken(call, addMaterial),
    '/cgi-bin/draft/add': (call) => withToken(call, addDraft),
    '/cgi-bin/draft/update': (call) => withToken(call, updateDraft),
    '/cgi-bin/draft/get': (call) => withToken(call, getDraft),
  }

  async function answer(incoming: IncomingMessage): Promise<{ status: number; type: string; body: Buffer }> {
    const chunks: Buffer[] = []
    for await (const chunk of incoming) chunks.push(chunk as Buffer)
    const target = new URL(incoming.url ?? '/', url)
    const method = incoming.method ?? 'GET'
    const image = hosted.get(target.pathname)
    if (image && method === 'GET') {
      return { status: 200, type: MIME[image.ext] ?? 'application/octet-stream', body: image.bytes }
    }
    const call: Call = {
      method,
      query: Object.fromEntries(target.searchParams),
      contentType: incoming.headers['content-type'],
      body: Buffer.concat(chunks),
    }
    const route = routes[target.pathname]
    let json: Answer | undefined
    if (route) {
      const injected = failures.findIndex((failure) => failure.path === target.pathname)
      json = injected >= 0 ? injectedFailure(injected) : await route(call)
    }
    const errcode = json ? Number(json.errcode ?? 0) : -404
    server.requests.push({ ...call, path: target.pathname, errcode })
    if (!json) return { status: 404, type: 'text/plain', body: Buffer.from('Not Found') }
    // WeChat escapes every slash (`http:\/\/mmbiz.qpic.cn\/…`); a slash is only ever inside a string.
    const text = JSON.stringify(json).replaceAll('/', '\\/')
    return { status: 200, type: 'application/json; encoding=utf-8', body: Buffer.from(text) }
  }

  function injectedFailure(at: number): Answer {
    const [failure] = failures.splice(at, 1)
    return failed(failure?.errcode ?? -1, failure?.errmsg)
  }

  function token({ method, query }: Call): Answer {
    if (method !== 'GET') return failed(43001)
    if (query.grant_type !== 'client_credential') return failed(40002)
    if (!query.appid) return failed(41002)
    if (query.appid !== appId) return failed(40013)
    if (!query.secret) return failed(41004)
    if (query.secret !== secret) return failed(40125)
    const issued = randomBytes(96).toString('base64url')
    tokens.set(issued, 'valid')
    return { access_token: issued, expires_in: TOKEN_TTL_S }
  }

  async function withToken(call: Call, endpoint: (call: Call) => Promise<Answer> | Answer): Promise<Answer> {
    if (call.method !== 'POST') return failed(43002)
    const given = call.query.access_token
    if (!given) return failed(41001)
    const state = tokens.get(given)
    if (!state) return failed(40001)
    if (state === 'expired') return failed(42001)
    if (server.quotaLeft !== undefined) {
      if (server.quotaLeft <= 0) return failed(45009)
      server.quotaLeft -= 1
    }
    return endpoint(call)
  }

  async function uploadImage(call: Call): Promise<Answer> {
    const image = await mediaPart({ call, rules: BODY_IMAGE })
    if ('errcode' in image) return failed(image.errcode)
    server.uploads.set(image.url, image)
    return { url: image.url }
  }

  async function addMaterial(call: Call): Promise<Answer> {
    // Voice, video and thumb are WeChat's other types; Hongyan sends images only.
    if (call.query.type !== 'image') return failed(40004)
    const image = await mediaPart({ call, rules: PERMANENT_IMAGE })
    if ('errcode' in image) return failed(image.errcode)
    const mediaId = randomBytes(48).toString('base64url')
    server.materials.set(mediaId, { ...image, mediaId })
    return { media_id: mediaId, url: image.url, item: [] }
  }

  /** The image in the part named `media`, checked as WeChat checks it, hosted under a new URL. */
  async function mediaPart({
    call,
    rules,
  }: {
    call: Call
    rules: typeof BODY_IMAGE
  }): Promise<HostedImage | { errcode: number }> {
    const files = await readMultipartFiles({ contentType: call.contentType, body: call.body })
    const file = files?.find((part) => part.field === 'media')
    if (!file || file.bytes.length === 0) return { errcode: 41005 }
    const ext = (await fileTypeFromBuffer(file.bytes))?.ext
    // WeChat reads the kind from the bytes and wants the file name's extension to agree.
    const named = path.extname(file.filename).slice(1).toLowerCase()
    if (!ext || !rules.types.includes(ext) || !rules.names.includes(named)) return { errcode: 40005 }
    if (file.bytes.length > rules.maxBytes) return { errcode: rules.tooLarge }
    const pathname = `/mmbiz_${ext}/${randomBytes(36).toString('base64url')}/0`
    const image = {
      url: `${url}${pathname}?wx_fmt=${ext === 'jpg' ? 'jpeg' : ext}`,
      ext,
      bytes: file.bytes,
      filename: file.filename,
    }
    hosted.set(pathname, image)
    return image
  }

  function addDraft(call: Call): Answer {
    const body = jsonBody(call)
    if ('errcode' in body) return failed(body.errcode)
    const { articles } = body.value
    if (!Array.isArray(articles) || articles.length === 0) return failed(47001)
    if (articles.length > MAX_ARTICLES) return failed(45008)
    const mediaId = randomBytes(48).toString('base64url')
    const items: WechatNewsItem[] = []
    for (const value of articles) {
      const checked = checkArticle({ value, context: draftContext(mediaId) })
      if ('errcode' in checked) return failed(checked.errcode)
      items.push(checked.item)
      server.filteredImages.push(...checked.filteredImages)
    }
    server.drafts.set(mediaId, items)
    return { media_id: mediaId }
  }

  function updateDraft(call: Call): Answer {
    const body = jsonBody(call)
    if ('errcode' in body) return failed(body.errcode)
    const { media_id: mediaId, index, articles } = body.value
    if (typeof mediaId !== 'string' || !Number.isInteger(index)) return failed(47001)
    const items = server.drafts.get(mediaId)
    // WeChat answers an index past the draft's last article as a bad media_id.
    if (!items || (index as number) < 0 || (index as number) >= items.length) return failed(40007)
    const checked = checkArticle({ value: articles, context: draftContext(mediaId) })
    if ('errcode' in checked) return failed(checked.errcode)
    items[index as number] = checked.item
    server.filteredImages.push(...checked.filteredImages)
    return { errcode: 0, errmsg: 'ok' }
  }

  function getDraft(call: Call): Answer {
    const body = jsonBody(call)
    if ('errcode' in body) return failed(body.errcode)
    const { media_id: mediaId } = body.value
    if (typeof mediaId !== 'string') return failed(47001)
    const items = server.drafts.get(mediaId)
    return items ? { news_item: items } : failed(40007)
  }

  function draftContext(mediaId: string): DraftContext {
    return {
      permanentImage: (id) => server.materials.get(id),
      isIssuedImageUrl: (src) =>
        server.uploads.has(src) || [...server.materials.values()].some((m) => m.url === src),
      previewUrl: `${url}/s?__biz=${appId}&mid=${mediaId}`,
    }
  }

  return server
}

/** A JSON object body as WeChat reads one: 44002 when empty, 47001 when not a JSON object. */
function jsonBody({ body }: Call): { value: Record<string, unknown> } | { errcode: number } {
  if (body.length === 0) return { errcode: 44002 }
  let value: unknown
  try {
    value = JSON.parse(keepUnicodeEscapesAsText(new TextDecoder('utf-8', { fatal: true }).decode(body)))
  } catch {
    return { errcode: 47001 }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { errcode: 47001 }
  return { value: value as Record<string, unknown> }
}

function failed(errcode: number, errmsg = ERRMSG[errcode] ?? 'system error'): Answer {
  const rid = [4, 4, 4].map((size) => randomBytes(size).toString('hex')).join('-')
  return { errcode, errmsg: `${errmsg} rid: ${rid}` }
}
