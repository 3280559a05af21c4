import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { openDatabase } from '../../cms/db/database.ts'
import { dataDir, projectRoot } from '../../cms/paths.ts'

export type Environment = Awaited<ReturnType<typeof prepareEnvironment>>

/**
 * Everything a Hongyan process needs before Payload's config may load: a database
 * (DATABASE_URL, or the embedded server this process then owns) and a secret
 * (PAYLOAD_SECRET, or one generated once into .data/). Values go into process.env so
 * that child processes (Next.js, the seed) inherit them.
 */
export async function prepareEnvironment() {
  process.env.HONGYAN_ROOT ??= projectRoot
  process.env.NEXT_TELEMETRY_DISABLED ??= '1'
  process.env.PAYLOAD_SECRET ??= await readOrCreateSecret()
  const database = await openDatabase()
  process.env.DATABASE_URL = database.url
  return database
}

async function readOrCreateSecret(): Promise<string> {
  const file = path.join(dataDir, 'payload-secret')
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim()
  const secret = randomBytes(32).toString('base64url')
  await mkdir(dataDir, { recursive: true })
  await writeFile(file, secret, { mode: 0o600 })
  return secret
}
