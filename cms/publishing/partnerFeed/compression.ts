import { promisify } from 'node:util'
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib'
import type { Answer, Encoded } from './feedAnswer.ts'
import type { FeedRequest } from './feedRequest.ts'

/** Smaller bodies are sent as they are: compressing them saves next to nothing. */
export const MIN_COMPRESSED = 1024

/**
 * The answer compressed, once: in zlib's thread pool, so the event loop keeps serving. gzip
 * at level 9 and brotli at quality 9 cost a few tens of milliseconds per feed version.
 * Requests that arrive while it runs share the one compression.
 */
export function encode({ answer, encoding }: { answer: Answer; encoding: 'br' | 'gzip' }): Promise<Encoded> {
  const running = answer.encoding[encoding]
  if (running) return running
  const compressed =
    encoding === 'br'
      ? brotliAsync(answer.body, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: answer.body.length,
          },
        })
      : gzipAsync(answer.body, { level: 9 })
  const promise = compressed.then(
    (body) => {
      const encoded = {
        body,
        headers: { ...answer.headers, 'Content-Encoding': encoding, 'Content-Length': String(body.length) },
      }
      answer.encoded[encoding] = encoded
      return encoded
    },
    (err: unknown) => {
      // Not kept: the next request tries again.
      delete answer.encoding[encoding]
      throw err
    },
  )
  answer.encoding[encoding] = promise
  return promise
}

/** The encoding to answer in: brotli when the client takes it, else gzip, else none. */
export function acceptedEncoding(request: FeedRequest): 'br' | 'gzip' | null {
  const accepted = request.header('accept-encoding') ?? ''
  if (/\bbr\b/.test(accepted)) return 'br'
  return /\bgzip\b/.test(accepted) ? 'gzip' : null
}

const gzipAsync = promisify(gzip)
const brotliAsync = promisify(brotliCompress)
