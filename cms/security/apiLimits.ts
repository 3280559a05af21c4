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
  /** bytes of a request body other than an upload: JSON, GraphQL (uploads: Payload, 25 MB) */
  maxJsonBytes: 4 * 1024 * 1024,
  /** login attempts per client address (or per account when the address is unknown) */
  loginAttemptsPerWindow: 20,
  loginWindowMs: 10 * 60 * 1000,
} as const
