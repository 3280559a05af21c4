import { type NextRequest, NextResponse } from 'next/server'

/**
 * The admin is Chinese-first: until an editor picks a language in their account (which
 * sets Payload's `payload-lng` cookie), requests are treated as Chinese whatever the
 * browser's own language is.
 */
export function proxy(request: NextRequest): NextResponse {
  if (request.cookies.has('payload-lng')) return NextResponse.next()
  const headers = new Headers(request.headers)
  headers.set('accept-language', 'zh-CN,zh;q=0.9')
  return NextResponse.next({ request: { headers } })
}

export const config = {
  matcher: ['/admin/:path*'],
}
