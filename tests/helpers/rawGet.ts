import { type IncomingMessage, request } from 'node:http'

/**
 * A request with its path sent exactly as written (`fetch` and `http.get(url)` resolve dot
 * segments as `new URL` does, and fetch adds `Cache-Control: no-cache` to a conditional
 * request), answered with its status, headers and body as bytes.
 */
export function rawGet(
  url: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
  const { origin, hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    request({ hostname, port, path: url.slice(origin.length), headers, method }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      )
    })
      .on('error', reject)
      .end()
  })
}
