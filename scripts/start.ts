import type { ChildProcess } from 'node:child_process'
import { defaultDistDir } from '../cms/publishing/site/buildFolders.ts'
import { createSiteServer } from '../cms/publishing/site/siteServer.ts'
import { adminUrl, feedsPort, listenPort, sitePort, siteUrl } from './lib/address.ts'
import { buildAdmin, isAdminBuildCurrent } from './lib/adminBuild.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { startKitchenServer } from './lib/kitchenServer.ts'
import { runBin, spawnBin, waitForExit } from './lib/run.ts'

const isDev = process.argv.includes('--dev')

/**
 * `npm start` (production build) and `npm run dev` (Next.js dev server): the whole
 * kitchen on one machine. Starts the database (embedded unless DATABASE_URL is set),
 * migrates, seeds an empty database, builds the admin when its sources changed, then
 * serves admin, REST and GraphQL, with the job worker (scheduled publishing, site builds)
 * beside it, and the static website on SITE_PORT.
 */
runCli(async () => {
  const database = await prepareEnvironment()
  console.log(`database: ${database.description}`)
  let server: ChildProcess | undefined
  const helpers = new Map<string, ChildProcess>()
  let isStopping = false
  const stop = () => {
    isStopping = true
    server?.kill('SIGTERM')
    for (const child of helpers.values()) child.kill('SIGTERM')
  }
  // Without its worker the kitchen would stop publishing on schedule, without the feed server
  // partners would get nothing: one that dies is replaced.
  const keepRunning = ({ name, script }: { name: string; script: string }): void => {
    const child = spawnBin({ bin: 'tsx', args: [script] })
    helpers.set(name, child)
    child.once('exit', (code, signal) => {
      if (isStopping) return
      console.error(`the ${name} stopped (${signal ?? `exit code ${code}`}); starting another`)
      setTimeout(() => {
        if (!isStopping) keepRunning({ name, script })
      }, 1000)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    await runBin({ bin: 'tsx', args: ['scripts/prepare.ts'], what: 'migrations and demo content' })
    if (!isDev && !(await isAdminBuildCurrent())) {
      console.log('building the admin (first start or changed sources; about a minute)…')
      await buildAdmin()
    }
    keepRunning({ name: 'job worker', script: 'scripts/worker.ts' })
    keepRunning({ name: 'partner feed server', script: 'scripts/feeds.ts' })
    // The search page asks its own origin; the site server forwards to the kitchen on loopback.
    const site = createSiteServer({
      distDir: defaultDistDir,
      kitchenSearchUrl: `http://127.0.0.1:${listenPort()}/api/search`,
    })
    await new Promise<void>((resolve, reject) => {
      site.once('error', reject)
      site.listen(sitePort(), resolve)
    })
    // Set as the server is spawned, so that a failure after it answers is not missed.
    let exited = Promise.resolve()
    // Polled on loopback: HONGYAN_SERVER_URL may name a public origin behind a proxy.
    await startKitchenServer({
      port: listenPort(),
      isDev,
      output: 'inherit',
      timeoutMs: 300_000,
      intervalMs: 500,
      onSpawn: (child) => {
        server = child
        exited = waitForExit({ child, what: 'the Next.js server' })
      },
    })
    console.log(
      `\n  鸿雁 Hongyan kitchen is ready: ${adminUrl()}\n  website (rebuilt on every publish): ${siteUrl()}/\n  partner feeds: http://localhost:${feedsPort()}/feeds/partner/\n`,
    )
    await exited
      .catch((err: unknown) => {
        if (server?.signalCode !== 'SIGTERM') throw err
      })
      .finally(() => site.close())
  } finally {
    isStopping = true
    for (const [name, child] of helpers) {
      child.kill('SIGTERM')
      if (child.exitCode === null) {
        await waitForExit({ child, what: `the ${name}` }).catch((err: unknown) => console.error(String(err)))
      }
    }
    await database.stop()
  }
})
