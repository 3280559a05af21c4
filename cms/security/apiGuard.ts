import { checkMultipart, readBodyWithinLimit } from './bodyCheck.ts'
import { graphqlStatus } from './graphqlRefusal.ts'
import { checkLoginRate } from './loginRateLimit.ts'
import { refuseStrayFileParts } from './multipartRoutes.ts'
import { checkQuery } from './queryCheck.ts'

/** A Next.js route handler of the kitchen's /api. */
export type RouteHandler = (
  request: Request,
  context: { params: Promise<{ slug: string[] }> },
) => Promise<Response>

/**
 * Wraps Payload's REST and GraphQL handlers: hostile queries and bodies, and login floods,
 * get a 4xx refusal (see refusal.ts) before Payload sees them; a file part sent anywhere but an
 * upload route is refused with a 415 (multipartRoutes.ts).
 */
export function guardApi(handler: RouteHandler): RouteHandler {
  return async (request, context) => {
    const url = new URL(request.url)
    const badQuery = checkQuery({ url, method: request.method })
    if (badQuery) return badQuery
    // Payload reads the body from this request: the bytes already read, within the limit.
    const read = await readBodyWithinLimit(request)
    if (read instanceof Response) return read
    // A file part only where an upload is taken: Payload writes each to the temp folder.
    const guarded = await refuseStrayFileParts(read)
    if (guarded instanceof Response) return guarded
    const refused = (await checkMultipart(guarded)) ?? (await checkLoginRate({ request: guarded, url }))
    if (refused) return refused
    const response = await handler(guarded, context)
    return url.pathname.endsWith('/graphql') ? graphqlStatus(response) : response
  }
}
