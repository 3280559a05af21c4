/**
 * The one way the house refuses a request: every endpoint of ours (Payload endpoints, Next.js
 * routes, the API guard, the partner feed server) answers a refusal as
 *
 *   { "error": "<code>", "reason": "<English>", "reasonZh": "<中文>" }
 *
 * `error` is a snake_case code from `refusalStatus`, for programs; `reason` says why in English
 * (what API clients and logs have always read) and `reasonZh` says the same in Chinese. The
 * status comes from the code, so the two cannot disagree: 401 is always `unauthorized` (no or an
 * unknown credential), 403 always a code of a known caller who may not. A refusal is never
 * cached (`Cache-Control: no-store`) and never sniffed as anything but JSON.
 */
export const refusalStatus = {
  bad_request: 400,
  bad_id: 400,
  bad_body: 400,
  bad_action: 400,
  bad_time: 400,
  bad_time_zone: 400,
  bad_limit: 400,
  bad_depth: 400,
  bad_page: 400,
  pagination_required: 400,
  malformed_query: 400,
  too_many_parameters: 400,
  control_characters: 400,
  query_too_deep: 400,
  malformed_json: 400,
  malformed_upload: 400,
  graphql_refused: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  bad_stage: 409,
  body_too_large: 413,
  query_too_long: 414,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  too_many_attempts: 429,
  server_error: 500,
  bad_gateway: 502,
  unavailable: 503,
} as const satisfies Record<string, number>

export type RefusalCode = keyof typeof refusalStatus

/**
 * The plain code for a status an outlet's typed error carries (an export or a push refused
 * with 400, 404, 409, 422, 502 or 503): `unprocessable` for any other.
 */
export function refusalCodeOf(status: number): RefusalCode {
  return plainCodes[status] ?? 'unprocessable'
}

const plainCodes: Record<number, RefusalCode> = {
  400: 'bad_request',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable',
  502: 'bad_gateway',
  503: 'unavailable',
}

/** Why a request is refused, in both languages of the house. */
export type Reason = { en: string; zh: string }

export type RefusalArgs = {
  code: RefusalCode
  reason: Reason
  /** Headers the refusal needs besides its own (`Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>
  /** Fields answered beside the refusal's own (GraphQL keeps its `errors`). */
  extra?: Record<string, unknown>
}

/** A refusal as a plain server writes it: status, headers and the JSON bytes. */
export type RefusalAnswer = { status: number; headers: Readonly<Record<string, string>>; body: Buffer }

/**
 * The database does not answer (stopped, restarting, unreachable): a 503 the client may retry
 * after a few seconds, never a 500 and never an answer that takes the outage for "not found".
 */
export const databaseUnavailable: RefusalArgs = {
  code: 'unavailable',
  reason: {
    en: 'The database is not answering right now; try again in a few seconds',
    zh: '数据库暂时无法访问，请几秒后重试',
  },
  headers: { 'Retry-After': '5' },
}

/** The refusal as a Fetch Response, for Payload endpoints and Next.js routes. */
export function refusalResponse(args: RefusalArgs): Response {
  return new Response(bodyOf(args), { status: refusalStatus[args.code], headers: headersOf(args) })
}

/** The refusal as status, headers (with Content-Length) and bytes, for a node:http server. */
export function refusalAnswer(args: RefusalArgs): RefusalAnswer {
  const body = Buffer.from(bodyOf(args))
  return {
    status: refusalStatus[args.code],
    headers: { ...headersOf(args), 'Content-Length': String(body.length) },
    body,
  }
}

function bodyOf({ code, reason, extra }: RefusalArgs): string {
  return JSON.stringify({ ...extra, error: code, reason: reason.en, reasonZh: reason.zh })
}

function headersOf({ headers }: RefusalArgs): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  }
}
