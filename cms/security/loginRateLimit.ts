import { collectionSlugs } from '../slugs.ts'
import { apiLimits } from './apiLimits.ts'
import { takeRequest } from './rateLimit.ts'
import { refusalResponse } from './refusal.ts'

const loginPaths = new Set(
  ['login', 'forgot-password', 'reset-password'].map((action) => `/api/${collectionSlugs.users}/${action}`),
)

/**
 * Refuses a login, password-reset or forgotten-password attempt past the limit per client
 * address (per account when the address is unknown), with the minutes to wait.
 */
export async function checkLoginRate({
  request,
  url,
}: {
  request: Request
  url: URL
}): Promise<Response | null> {
  if (request.method !== 'POST' || !loginPaths.has(url.pathname)) return null
  let account = ''
  try {
    const body = (await request.clone().json()) as { email?: unknown }
    account = typeof body.email === 'string' ? body.email.trim().toLowerCase() : ''
  } catch {
    // a body that is not JSON is refused by readBodyWithinLimit or by Payload
  }
  const key = clientAddress(request) ?? `account:${account}`
  const retryAfter = takeRequest({
    key: `login:${key}`,
    limit: apiLimits.loginAttemptsPerWindow,
    windowMs: apiLimits.loginWindowMs,
  })
  if (retryAfter === null) return null
  const minutes = Math.ceil(retryAfter / 60)
  return refusalResponse({
    code: 'too_many_attempts',
    reason: {
      en: `Too many attempts: try again in ${minutes} minutes`,
      zh: `登录尝试过于频繁，请 ${minutes} 分钟后再试`,
    },
    headers: { 'Retry-After': String(retryAfter) },
  })
}

/**
 * The client's address: the last hop a trusted reverse proxy appended to X-Forwarded-For
 * (HONGYAN_TRUST_PROXY=1), otherwise unknown: a client cannot spoof its way past the limit.
 */
function clientAddress(request: Request): string | null {
  if (process.env.HONGYAN_TRUST_PROXY !== '1') return null
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim())
  return hops.at(-1) || null
}
