import { refusalResponse } from './refusal.ts'

/**
 * GraphQL answers a query it refused to run (a syntax error, a complexity bomb, an unknown
 * field) with 200 and `errors`; API clients get a 400 with the first error as the reason.
 */
export async function graphqlStatus(response: Response): Promise<Response> {
  if (response.status !== 200) return response
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as {
    data?: unknown
    errors?: { message?: string }[]
  } | null
  if (!body || (body.data !== undefined && body.data !== null) || !body.errors?.length) return response
  const message = body.errors[0]?.message
  return refusalResponse({
    code: 'graphql_refused',
    reason: {
      en: message ?? 'the query was refused',
      zh: message ? `GraphQL 查询被拒绝：${message}` : 'GraphQL 查询被拒绝',
    },
    extra: body,
  })
}
