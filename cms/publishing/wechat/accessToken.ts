/** A token is fetched again this long before WeChat says it expires. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60 * 1000

/** An access_token as WeChat's token endpoint hands it out. */
export type IssuedToken = { token: string; expiresInS: number }

/** The access_token a client holds: `get` one, `drop` one WeChat refused. */
export type TokenCache = {
  /** The held token while it is fresh, else a new one; callers at the same time share one fetch. */
  get: () => Promise<string>
  /** Forgets `token` if it is still the one held, so the next `get` fetches another. */
  drop: ({ token }: { token: string }) => void
}

/**
 * WeChat hands out a few thousand tokens a day per account, and each new one retires the last,
 * so a client fetches one, keeps it until five minutes before it expires, and lets every call
 * made while a fetch is under way wait for that same fetch. A failed fetch is not kept.
 */
export function createTokenCache({
  fetchToken,
  now,
}: {
  fetchToken: () => Promise<IssuedToken>
  now: () => number
}): TokenCache {
  let held: { token: string; renewAt: number } | undefined
  let fetching: Promise<string> | undefined

  function refresh(): Promise<string> {
    fetching ??= fetchToken()
      .then(({ token, expiresInS }) => {
        held = { token, renewAt: now() + expiresInS * 1000 - TOKEN_RENEW_BEFORE_MS }
        return token
      })
      .finally(() => {
        fetching = undefined
      })
    return fetching
  }

  return {
    get: async () => (held && now() < held.renewAt ? held.token : refresh()),
    drop: ({ token }) => {
      if (held?.token === token) held = undefined
    },
  }
}
