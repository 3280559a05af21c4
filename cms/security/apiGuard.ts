import { Readable } from 'node:stream'
import busboy from 'busboy'
import { collectionSlugs } from '../slugs.ts'
import { takeRequest } from './rateLimit.ts'

/** A Next.js route handler of the kitchen's /api. */
export type RouteHandler = (
  request: Request,
  context: { params: Promise<{ slug: string[] }> },
) => Promise<Response>

/** What one API request may ask of the kitchen; past these it gets a 4xx with a reason. */
export const apiLimits = {
  /** characters of query string */
  maxQueryLength: 8 * 1024,
  /** query parameters, `where[…]` keys included */
  maxQueryParameters: 200,
  /** brackets in one `where[a][or][0][b]…` key: and/or nesting past this is refused */
  maxQueryNesting: 16,
  /** documents one GET may list (Payload's `limit=0` means all of them: refused on GET) */
  maxLimit: 1000,
  /** relationship depth (Payload's own `maxDepth` is 10) */
  maxDepth: 10,
  maxPage: 1_000_000,
  /** bytes of a JSON or GraphQL body (uploads are limited by Payload: 25 MB) */
  maxJsonBytes: 4 * 1024 * 1024,
  /** login attempts per client address (or per account when the address is unknown) */
  loginAttemptsPerWindow: 20,
  loginWindowMs: 10 * 60 * 1000,
} as const

export function refusal(
  status: number,
  error: string,
  reason: string,
  headers?: Record<string, string>,
): Response {
  return Response.json({ error, reason }, { status, headers: { 'Cache-Control': 'no-store', ...headers } })
}

function isWholeNumber(value: string, { min, max }: { min: number; max: number }): boolean {
  if (!/^\d{1,10}$/.test(value)) return false
  const number = Number(value)
  return number >= min && number <= max
}

/** Why this URL's query is refused, or null when it is fine. */
export function checkQuery({ url, method }: { url: URL; method: string }): Response | null {
  const raw = url.search.slice(1)
  if (raw.length > apiLimits.maxQueryLength)
    return refusal(
      414,
      'query_too_long',
      `查询字符串过长（上限 ${apiLimits.maxQueryLength} 字符）/ The query string is too long`,
    )
  try {
    decodeURIComponent(raw.replaceAll('+', ' '))
  } catch {
    return refusal(
      400,
      'malformed_query',
      '查询字符串编码错误 / The query string is not valid percent-encoding',
    )
  }
  const params = [...url.searchParams]
  if (params.length > apiLimits.maxQueryParameters)
    return refusal(
      400,
      'too_many_parameters',
      `查询参数过多（上限 ${apiLimits.maxQueryParameters}）/ Too many query parameters`,
    )
  for (const [key, value] of params) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(key + value))
      return refusal(400, 'control_characters', '查询中含有控制字符 / The query contains control characters')
    if ((key.match(/\[/g)?.length ?? 0) > apiLimits.maxQueryNesting)
      return refusal(
        400,
        'query_too_deep',
        `查询条件嵌套过深（上限 ${apiLimits.maxQueryNesting} 层）/ The where query is nested too deeply`,
      )
  }
  const limit = url.searchParams.get('limit')
  if (limit !== null && method === 'GET' && !isWholeNumber(limit, { min: 1, max: apiLimits.maxLimit }))
    return refusal(
      400,
      'bad_limit',
      `limit 必须是 1 到 ${apiLimits.maxLimit} 的整数 / limit must be a whole number from 1 to ${apiLimits.maxLimit}`,
    )
  if (limit !== null && method !== 'GET' && !isWholeNumber(limit, { min: 0, max: apiLimits.maxLimit }))
    return refusal(
      400,
      'bad_limit',
      `limit 必须是 0 到 ${apiLimits.maxLimit} 的整数 / limit must be a whole number up to ${apiLimits.maxLimit}`,
    )
  const depth = url.searchParams.get('depth')
  if (depth !== null && !isWholeNumber(depth, { min: 0, max: apiLimits.maxDepth }))
    return refusal(
      400,
      'bad_depth',
      `depth 必须是 0 到 ${apiLimits.maxDepth} 的整数 / depth must be a whole number from 0 to ${apiLimits.maxDepth}`,
    )
  const page = url.searchParams.get('page')
  if (page !== null && !isWholeNumber(page, { min: 1, max: apiLimits.maxPage }))
    return refusal(400, 'bad_page', 'page 必须是正整数 / page must be a positive whole number')
  if (method === 'GET' && url.searchParams.get('pagination') === 'false')
    return refusal(
      400,
      'pagination_required',
      '列表必须分页 / Lists are always paginated: use limit and page',
    )
  return null
}

function isJsonBody(request: Request): boolean {
  return (request.headers.get('content-type') ?? '').includes('json')
}

/** Refuses a JSON body that is too large or not JSON at all, without consuming the request. */
async function checkJsonBody(request: Request): Promise<Response | null> {
  if (!isJsonBody(request)) return null
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length > apiLimits.maxJsonBytes)
    return refusal(
      413,
      'body_too_large',
      `请求体过大（上限 ${apiLimits.maxJsonBytes / 1024 / 1024} MB）/ The request body is too large`,
    )
  const text = await request.clone().text()
  if (Buffer.byteLength(text) > apiLimits.maxJsonBytes)
    return refusal(
      413,
      'body_too_large',
      `请求体过大（上限 ${apiLimits.maxJsonBytes / 1024 / 1024} MB）/ The request body is too large`,
    )
  if (text.trim() === '') return null
  try {
    JSON.parse(text)
  } catch {
    return refusal(400, 'malformed_json', '请求体不是合法的 JSON / The request body is not valid JSON')
  }
  return null
}

/** Bytes of a multipart body read to check its structure; past it, Payload's own 413 answers. */
const MULTIPART_CHECK_BYTES = 26 * 1024 * 1024

/**
 * Refuses a multipart upload whose structure is broken (a part header with a NUL byte, a
 * missing boundary): Payload's parser would fail on it with a 500. Reads a copy of the body
 * and never keeps file contents.
 */
async function checkMultipart(request: Request): Promise<Response | null> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.toLowerCase().startsWith('multipart/form-data') || !request.body) return null
  let parser: busboy.Busboy
  try {
    parser = busboy({ headers: { 'content-type': type } })
  } catch (err) {
    return refusal(
      400,
      'malformed_upload',
      `上传表单无法解析 / The upload form cannot be read: ${(err as Error).message}`,
    )
  }
  const source = Readable.fromWeb(request.clone().body as import('node:stream/web').ReadableStream)
  const message = await new Promise<string | null>((resolve) => {
    let read = 0
    parser.on('file', (_name, stream) => stream.resume())
    parser.on('error', (err: Error) => {
      source.destroy()
      resolve(err.message)
    })
    parser.on('close', () => resolve(null))
    source.on('error', () => resolve(null))
    source.on('data', (chunk: Buffer) => {
      read += chunk.length
      if (read <= MULTIPART_CHECK_BYTES) return
      source.unpipe(parser)
      source.destroy()
      resolve(null)
    })
    source.pipe(parser)
  })
  if (message === null) return null
  await drain(request)
  return refusal(400, 'malformed_upload', `上传表单无法解析 / The upload form cannot be read: ${message}`)
}

/**
 * Reads (and drops) what is left of a refused request's body, up to the upload limit, so the
 * client receives the refusal instead of a connection reset while it is still sending.
 */
async function drain(request: Request): Promise<void> {
  const reader = request.body?.getReader()
  if (!reader) return
  let read = 0
  while (read <= MULTIPART_CHECK_BYTES) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }))
    if (done) return
    read += value?.byteLength ?? 0
  }
  await reader.cancel().catch(() => {})
}

/**
 * The client's address: the last hop a trusted reverse proxy appended to X-Forwarded-For
 * (HONGYAN_TRUST_PROXY=1), otherwise unknown: a client cannot spoof its way past the limit.
 */
export function clientAddress(request: Request): string | null {
  if (process.env.HONGYAN_TRUST_PROXY !== '1') return null
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim())
  return hops.at(-1) || null
}

const loginPaths = new Set(
  ['login', 'forgot-password', 'reset-password'].map((action) => `/api/${collectionSlugs.users}/${action}`),
)

async function checkLoginRate(request: Request, url: URL): Promise<Response | null> {
  if (request.method !== 'POST' || !loginPaths.has(url.pathname)) return null
  let account = ''
  try {
    const body = (await request.clone().json()) as { email?: unknown }
    account = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
  } catch {
    // a body that is not JSON is refused by checkJsonBody or by Payload
  }
  const key = clientAddress(request) ?? `account:${account}`
  const retryAfter = takeRequest({
    key: `login:${key}`,
    limit: apiLimits.loginAttemptsPerWindow,
    windowMs: apiLimits.loginWindowMs,
  })
  if (retryAfter === null) return null
  return refusal(
    429,
    'too_many_attempts',
    `登录尝试过于频繁，请 ${Math.ceil(retryAfter / 60)} 分钟后再试 / Too many attempts: try again later`,
    { 'Retry-After': String(retryAfter) },
  )
}

/**
 * Wraps Payload's REST and GraphQL handlers: hostile queries and bodies, and login floods,
 * get a 4xx with `{error, reason}` before Payload sees them.
 */
export function guardApi(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    const url = new URL(request.url)
    const refused =
      checkQuery({ url, method: request.method }) ??
      (await checkJsonBody(request)) ??
      (await checkMultipart(request)) ??
      (await checkLoginRate(request, url))
    if (refused) return refused
    const response = await handler(request, context)
    return url.pathname.endsWith('/graphql') ? graphqlStatus(response) : response
  }
}

/**
 * GraphQL answers a query it refused to run (a syntax error, a complexity bomb, an unknown
 * field) with 200 and `errors`; API clients get a 400 with the first error as the reason.
 */
async function graphqlStatus(response: Response): Promise<Response> {
  if (response.status !== 200) return response
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as {
    data?: unknown
    errors?: { message?: string }[]
  } | null
  if (!body || (body.data !== undefined && body.data !== null) || !body.errors?.length) return response
  return Response.json(
    { ...body, error: 'graphql_refused', reason: body.errors[0]?.message ?? 'the query was refused' },
    { status: 400, headers: { 'Cache-Control': 'no-store' } },
  )
}
