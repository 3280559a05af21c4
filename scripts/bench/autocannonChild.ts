import { createRequire } from 'node:module'
import net from 'node:net'
import autocannon from 'autocannon'
import { percentile } from './percentile.ts'

/**
 * The load generator of a benchmark, in a process of its own (`HONGYAN_AUTOCANNON` holds
 * autocannon's options as JSON): its garbage collections and the bench's own stay out of each
 * other's way, as they would on separate machines. Prints `{ p50, p99, autocannonP99, rate,
 * errors, non2xx, 2xx, 3xx, bytes }`.
 *
 * Two things autocannon 9 does are undone or set beside:
 * - It decodes every chunk of every answer into a JavaScript string, for a `verifyBody`
 *   option these benchmarks do not use: on answers of 150 KB of gzip that was most of the
 *   load generator's work, on the two cores the server has too. Bodies are counted here, not
 *   decoded (the benchmark checks one answer's body itself).
 * - Each of its sockets reads into a fresh 64 KB buffer: at 75 MB/s of answers that memory
 *   made it collect garbage (full collections, 4–8 ms each) several times a second, and the
 *   answers waiting meanwhile counted as slow. Each socket here reads into one buffer of its
 *   own, reused (Node's `onread`); autocannon parses each chunk before the next is read.
 * - With a rate set, it "corrects for coordinated omission" with an expected interval of
 *   `Math.ceil(1 / rate)`, which is 1 ms for any rate of 1 a second or more: every answer
 *   that took n ms is recorded n times (n, n − 1, … 1 ms), which moves every percentile
 *   towards the slow answers. `p50` and `p99` here are of the response times as measured, one
 *   per answer; autocannon's own p99 is given beside them as `autocannonP99`.
 *
 * autocannon's rate limit sends each connection's requests for a second back to back from
 * the start of that second: the load comes as a burst of `connections` concurrent requests,
 * a harder test than the same rate spread evenly. It is left so.
 */
const options = JSON.parse(String(process.env.HONGYAN_AUTOCANNON)) as autocannon.Options
const require = createRequire(import.meta.url)
const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as {
  prototype: { addBody?: (data: Buffer) => void }
}
if (typeof queue.prototype.addBody !== 'function')
  throw new Error('autocannon changed: pipelinedRequestsQueue has no addBody to turn off')
queue.prototype.addBody = () => {}

const connect = net.connect
Object.assign(net, {
  connect: (...args: unknown[]) => {
    const [port, host] = args
    if (typeof port !== 'number' || typeof host !== 'string')
      throw new Error('autocannon changed: it no longer connects with net.connect(port, host)')
    const buffer = Buffer.allocUnsafe(256 * 1024)
    const socket: net.Socket = connect({
      port,
      host,
      onread: {
        buffer,
        callback: (size: number, read: Uint8Array) => {
          socket.emit('data', Buffer.from(read.buffer, read.byteOffset, size))
          return true
        },
      },
    })
    return socket
  },
})

const times: number[] = []
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(options, (err, done) => (err ? reject(err) : resolve(done)))
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    times.push(responseTime)
  })
})
const round = (ms: number) => Math.round(ms * 100) / 100
console.log(
  JSON.stringify({
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    autocannonP99: result.latency.p99,
    rate: result.requests.average,
    errors: result.errors,
    non2xx: result.non2xx,
    '2xx': result['2xx'],
    '3xx': result['3xx'],
    bytes: result.throughput.average,
  }),
)
