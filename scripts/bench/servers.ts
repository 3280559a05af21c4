import { findFreePort } from '../../cms/db/embeddedPostgres.ts'
import { ensureAdminBuild } from '../lib/adminBuild.ts'
import { type KitchenServer, startKitchenServer } from '../lib/kitchenServer.ts'
import { type RunningServer, serverOnceAnswering, spawnScript } from '../lib/run.ts'
import { BENCH_ADMIN } from './corpusDatabase.ts'

/**
 * The production admin build `next start` serves. Built when stale, unless
 * HONGYAN_BENCH_WAIT_FOR_ADMIN=1: then the bench waits for someone else's build, as on a
 * shared machine where only one `next build` may run.
 */
export function ensureBenchAdminBuild(): Promise<void> {
  return ensureAdminBuild({ whenStale: process.env.HONGYAN_BENCH_WAIT_FOR_ADMIN === '1' ? 'wait' : 'build' })
}

/** `next start cms` (the production kitchen) on a free port with the corpus's environment. */
export async function startKitchen({ env }: { env: NodeJS.ProcessEnv }): Promise<KitchenServer> {
  await ensureBenchAdminBuild()
  return startKitchenServer({ env, output: 'ignore' })
}

/** Logs the bench admin in through REST; returns the token for `Authorization: JWT <token>`. */
export async function loginAdmin({ base }: { base: string }): Promise<string> {
  const response = await fetch(`${base}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  })
  if (!response.ok) throw new Error(`the bench admin could not log in (${response.status})`)
  return ((await response.json()) as { token: string }).token
}

/**
 * Logs the bench reporter in through REST (made by the admin of `adminToken` the first time): who
 * writes the stories the admin reviews, since nobody reviews a story they wrote.
 */
export async function loginBenchReporter({ base, adminToken }: { base: string; adminToken: string }) {
  const login = () =>
    fetch(`${base}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BENCH_REPORTER),
    })
  let response = await login()
  if (response.status === 401) {
    const made = await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `JWT ${adminToken}` },
      body: JSON.stringify({ ...BENCH_REPORTER, name: '压力测试记者', role: 'reporter' }),
    })
    if (!made.ok) throw new Error(`the bench reporter was refused: ${made.status} ${await made.text()}`)
    response = await login()
  }
  if (!response.ok) throw new Error(`the bench reporter could not log in (${response.status})`)
  return ((await response.json()) as { token: string }).token
}

const BENCH_REPORTER = { email: 'bench-reporter@hongyan.local', password: 'bench-reporter-password-1' }

/** `npm run feeds` (the partner feed server) on a free port, once it answers the partner `key`. */
export async function startFeedServer({ env, key }: { env: NodeJS.ProcessEnv; key: string }) {
  return startScriptServer({
    script: 'scripts/feeds.ts',
    env,
    portVariable: 'FEEDS_PORT',
    readyPath: `/feeds/partner/rss.xml?key=${key}`,
    timeoutMs: 120_000,
  })
}

/**
 * The corpus's built site, served as `npm start` serves it, on a free port; given the
 * kitchen's `/api/search`, its search page's questions are forwarded there.
 */
export async function startSiteServer({
  env,
  kitchenSearchUrl,
}: {
  env: NodeJS.ProcessEnv
  kitchenSearchUrl?: string
}) {
  return startScriptServer({
    script: 'scripts/bench/siteServerChild.ts',
    args: kitchenSearchUrl ? [kitchenSearchUrl] : [],
    env,
    portVariable: 'SITE_PORT',
    readyPath: '/',
    timeoutMs: 60_000,
  })
}

async function startScriptServer({
  script,
  args = [],
  env,
  portVariable,
  readyPath,
  timeoutMs,
}: {
  script: string
  args?: string[]
  env: NodeJS.ProcessEnv
  portVariable: string
  readyPath: string
  timeoutMs: number
}): Promise<RunningServer> {
  const port = await findFreePort()
  const child = spawnScript({ script, args, env: { ...env, [portVariable]: String(port) }, stdio: 'ignore' })
  return serverOnceAnswering({ child, url: `http://127.0.0.1:${port}`, readyPath, timeoutMs })
}

/**
 * The kitchen's REST API (Payload's handlers and the house guard, as Next.js runs them, without
 * the admin) on a free port: what the search benchmark asks `GET /api/search` of.
 */
export async function startApiServer({ env }: { env: NodeJS.ProcessEnv }) {
  return startScriptServer({
    script: 'scripts/bench/apiServerChild.ts',
    env,
    portVariable: 'HONGYAN_BENCH_API_PORT',
    readyPath: '/api/search?q=%E5%B7%A5%E5%8C%A0',
    timeoutMs: 300_000,
  })
}
