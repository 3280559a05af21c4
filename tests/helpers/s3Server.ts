import type { EventEmitter } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'

/**
 * A real S3-protocol server for the tests: s3rver 3.7 (npm; these machines reach npm only, and it
 * is the S3 server published there that runs in-process without a binary). It speaks the S3 REST
 * protocol and XML answers, stores objects in a temporary folder, and refuses a request signed
 * with an unknown access key. It does not check what a real provider would also enforce: the V4
 * signature itself (s3rver verifies only V2), bucket policies and ACLs, multipart part-size
 * limits (5 MiB minimum per part), rate limits, or a provider's own quirks (OSS/COS virtual hosts).
 */
export type TestS3Server = {
  endpoint: string
  /** The environment that points Hongyan at this server (media and site buckets). */
  env: Record<string, string>
  directory: string
  /**
   * What the server did, in the order it did it: each object written (`put`) or deleted
   * (`delete`), by bucket and key. A test empties it to watch one step.
   */
  events: S3ServerEvent[]
  /** Calls `listener` with each event as the server records it (before it answers the request). */
  onEvent: (listener: (event: S3ServerEvent) => void) => void
  /** An outage: every request from now on is answered 503 (requests under way finish); the objects stay. */
  pause: () => void
  /** The outage is over. */
  resume: () => void
  stop: () => Promise<void>
}

export type S3ServerEvent = { kind: 'put' | 'delete'; bucket: string; key: string }

type KoaMiddleware = (
  ctx: { status: number; type: string; body: unknown },
  next: () => Promise<unknown>,
) => Promise<unknown>

type S3Notification = {
  Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[]
}

/** s3rver's fixed credentials: requests signed with anything else are refused. */
const ACCESS_KEY_ID = 'S3RVER'
const SECRET_ACCESS_KEY = 'S3RVER'

export async function startS3Server({
  buckets = ['hongyan-media', 'hongyan-site'],
}: {
  buckets?: string[]
} = {}): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'hongyan-s3-'))
  const events: S3ServerEvent[] = []
  const listeners: ((event: S3ServerEvent) => void)[] = []
  let isDown = false
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    // Path-style addresses only (http://127.0.0.1:port/bucket/key), as Hongyan's default with an endpoint.
    vhostBuckets: false,
  })
  // s3rver is a Koa application: a middleware ahead of its own answers 503 during an outage,
  // and it emits an S3 notification for each write and delete.
  const koa = server as unknown as EventEmitter & { middleware: KoaMiddleware[] }
  koa.middleware.unshift(async (ctx, next) => {
    if (!isDown) return next()
    ctx.status = 503
    ctx.type = 'application/xml'
    ctx.body =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>outage</Message></Error>'
  })
  koa.on('event', (event: S3Notification) => {
    for (const record of event.Records) {
      const done: S3ServerEvent = {
        kind: record.eventName.startsWith('ObjectRemoved') ? 'delete' : 'put',
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
      }
      events.push(done)
      for (const listener of listeners) listener(done)
    }
  })
  const listening = (await server.run()) as AddressInfo
  const endpoint = `http://127.0.0.1:${listening.port}`
  return {
    endpoint,
    directory,
    events,
    onEvent: (listener) => {
      listeners.push(listener)
    },
    env: {
      HONGYAN_S3_ENDPOINT: endpoint,
      HONGYAN_S3_REGION: 'us-east-1',
      HONGYAN_S3_ACCESS_KEY_ID: ACCESS_KEY_ID,
      HONGYAN_S3_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      HONGYAN_S3_FORCE_PATH_STYLE: '1',
      ...(buckets[0] ? { HONGYAN_S3_BUCKET: buckets[0] } : {}),
      ...(buckets[1] ? { HONGYAN_SITE_BUCKET: buckets[1] } : {}),
    },
    pause: () => {
      isDown = true
    },
    resume: () => {
      isDown = false
    },
    stop: async () => {
      await server.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}
