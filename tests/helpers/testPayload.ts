import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import type { Payload, SanitizedConfig } from 'payload'
import { inject } from 'vitest'
import { dropDatabase, ensureDatabase } from '../../cms/db/ensureDatabase.ts'
import { guardApi } from '../../cms/security/apiGuard.ts'

/** A Next.js route handler of the kitchen's /api, called without a server. */
export type ApiHandler = (
  request: Request,
  context?: { params: Promise<{ slug: string[] }> },
) => Promise<Response>

export type TestKitchen = {
  payload: Payload
  /** the same handlers (and the same guard) that serve /api/... and /api/graphql in the Next.js app */
  api: { rest: Record<'GET' | 'POST' | 'PATCH' | 'DELETE', ApiHandler>; graphql: ApiHandler }
  config: Promise<SanitizedConfig>
  databaseUrl: string
  mediaDir: string
  /** Where site builds go (HONGYAN_DIST_DIR) */
  distDir: string
  cleanup: () => Promise<void>
}

/**
 * A migrated Payload on a database and media folder of this test file's own, dropped
 * and removed by `cleanup`. Call once per file (in beforeAll): Payload's config is read
 * from the environment when it is first imported.
 */
export async function startTestKitchen({
  databaseUrl = databaseUrlFor({ name: `hongyan_test_${randomUUID().slice(0, 8)}` }),
}: {
  /** a database of the test's own server (a fault test stops and starts it) */
  databaseUrl?: string
} = {}): Promise<TestKitchen> {
  await ensureDatabase({ url: databaseUrl })
  // Chosen by tests/setup/folders.ts before any module read them.
  const mediaDir = requiredEnv('HONGYAN_MEDIA_DIR')
  const distDir = requiredEnv('HONGYAN_DIST_DIR')
  process.env.DATABASE_URL = databaseUrl
  process.env.PAYLOAD_SECRET ??= randomUUID()
  const { closePayload, loadMigratedPayload } = await import('../../scripts/lib/payload.ts')
  const payload = await loadMigratedPayload()
  const { default: config } = await import('../../cms/payload.config.ts')
  const routes = await import('@payloadcms/next/routes')
  return {
    payload,
    api: {
      rest: {
        GET: guardApi(routes.REST_GET(config)) as ApiHandler,
        POST: guardApi(routes.REST_POST(config)) as ApiHandler,
        PATCH: guardApi(routes.REST_PATCH(config)) as ApiHandler,
        DELETE: guardApi(routes.REST_DELETE(config)) as ApiHandler,
      },
      graphql: guardApi(routes.GRAPHQL_POST(config)) as ApiHandler,
    },
    config,
    databaseUrl,
    mediaDir,
    distDir,
    cleanup: async () => {
      await closePayload(payload)
      await dropDatabase({ url: databaseUrl })
      await rm(mediaDir, { recursive: true, force: true })
      await rm(distDir, { recursive: true, force: true })
    },
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run tests through tests/vitest.config.ts`)
  return value
}

export function databaseUrlFor({ name }: { name: string }): string {
  const url = new URL(inject('postgresServerUrl'))
  url.pathname = `/${name}`
  return url.toString()
}
