import { checkMultipart, readBodyWithinLimit } from './bodyCheck.ts'
import { graphqlStatus } from './graphqlRefusal.ts'
import { checkLoginRate } from './loginRateLimit.ts'
import { checkQuery } from './queryCheck.ts'

/** A Next.js route handler of the kitchen's /api. */
export type RouteHandler = (
  request: Request,
  context: { params: Promise<{ slug: string[] }> },
) => Promise<Response>

/**
 * Wraps Payload's REST and GraphQL handlers: hostile queries and bodies, and login floods,
 * get a 4xx refusal (see refusal.ts) before Payload sees them.
 */
export function guardApi(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    const url = new URL(request.url)
    const badQuery = checkQuery({ url, method: request.method })
    if (badQuery) return badQuery
    // Payload reads the body from this request: the bytes already read, within the limit.
    const guarded = await readBodyWithinLimit(request)
    if (guarded instanceof Response) return guarded
    const refused = (await checkMultipart(guarded)) ?? (await checkLoginRate({ request: guarded, url }))
    if (refused) return refused
    const response = await handler(guarded, context)
    return url.pathname.endsWith('/graphql') ? graphqlStatus(response) : response
  }
}
