/**
 * A partner feed request as a transport hands it to answerPartnerFeed: the kitchen's Next.js
 * route (servePartnerFeed) or the feed server's plain Node HTTP (feedServer).
 */
export type FeedRequest = {
  file: string
  query: URLSearchParams
  /** A request header by its lower-case name. */
  header: (name: string) => string | undefined
  /** The client's address as the connection gives it (X-Forwarded-For, when set, wins). */
  remoteAddress: string | undefined
}

/** What the transport sends back: headers are shared between answers and must not be changed. */
export type FeedAnswer = { status: number; headers: Readonly<Record<string, string>>; body: Buffer | null }
