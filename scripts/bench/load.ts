import type { ChildProcess } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import autocannon from 'autocannon'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { stopChild } from '../lib/run.ts'
import { startWorkerProcess } from '../lib/workerProcess.ts'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import { processTreeMb } from './measure.ts'
import type { Figure } from './report.ts'
import { runChildForJson } from './runChild.ts'
import { loginAdmin, loginBenchReporter, startFeedServer, startKitchen, startSiteServer } from './servers.ts'

const SECONDS = 60
const WARM_UP_SECONDS = 10
/** Requests a second, split across what the public and partners read. */
const RATES = { site: 300, feeds: 100, partner: 100 } as const
const PUBLISH_EVERY_MS = 5_000

type Target = keyof typeof RATES

/**
 * Sixty seconds of public load on loopback, as issue 8 asks: the static site (story, section
 * and home pages), the public feeds and the partner feeds at 500 requests a second together,
 * while a story is published through the REST API every 5 s (a reporter writes it, the editor
 * approves and publishes it; each publish queues a site build on the worker), after 10 s of the
 * same load, not counted, to warm the servers.
 * Reports errors, p50/p99 per target and each server's memory at the start and end of the run.
 */
export async function benchLoad({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const distDir = String(env.HONGYAN_DIST_DIR)
  const siteLive = path.join(distDir, 'site')
  await runChildForJson({ script: 'scripts/bench/siteBuildChild.ts', env })
  const storyPaths = (await readdir(path.join(siteLive, 'stories'))).map((slug) => `/stories/${slug}/`)
  const sectionPaths = (await readdir(path.join(siteLive, 'sections'))).map((slug) => `/sections/${slug}/`)
  const sitePaths = ['/', ...sectionPaths, ...storyPaths.slice(0, 500)]
  const { key } = await runChildForJson<{ key: string }>({ script: 'scripts/bench/partnerKeyChild.ts', env })

  // Memory is reported per server, in this order.
  const servers: Record<string, ChildProcess> = {}
  try {
    const site = await startSiteServer({ env })
    servers.site = site.child
    const feeds = await startFeedServer({ env, key })
    servers.feeds = feeds.child
    servers.worker = await startWorkerProcess({ env })
    const kitchen = await startKitchen({ env })
    servers.kitchen = kitchen.child
    const siteBase = site.url
    const feedsBase = feeds.url
    const kitchenBase = kitchen.url
    const token = await loginAdmin({ base: kitchenBase })
    const reporterToken = await loginBenchReporter({ base: kitchenBase, adminToken: token })
    const sectionId = await benchSectionId({ kitchenBase, token })

    const samples: Record<string, number[]> = {}
    const add = (name: string, value: number) => {
      samples[name] = [...(samples[name] ?? []), value]
    }
    const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)] ?? '/'
    const load = (
      target: Target,
      base: string,
      paths: string[],
      duration: number,
      headers: Record<string, string> = {},
    ) =>
      autocannon({
        url: base,
        connections: 20,
        overallRate: RATES[target],
        duration,
        headers: { 'accept-encoding': 'gzip', ...headers },
        requests: [{ setupRequest: (request) => ({ ...request, path: pick(paths) }) }],
      })
    const loadAll = (duration: number) =>
      Promise.all([
        load('site', siteBase, sitePaths, duration),
        load('feeds', siteBase, ['/rss.xml', '/atom.xml', '/feed.json'], duration),
        load(
          'partner',
          feedsBase,
          ['/feeds/partner/ninjs.json', '/feeds/partner/rss.xml', '/feeds/partner/feed.json'],
          duration,
          { authorization: `Bearer ${key}` },
        ),
      ])
    // Servers just started render their first feeds and compile their hot paths: a few seconds
    // of the same load first, not counted, so that each run measures servers already at work.
    await loadAll(WARM_UP_SECONDS)
    for (let run = 0; run < runs; run += 1) {
      const memoryStart = await memoryOf(servers)
      let isLoading = true
      let published = 0
      let publishFailures = 0
      const publishing = (async () => {
        while (isLoading) {
          await new Promise((resolve) => setTimeout(resolve, PUBLISH_EVERY_MS))
          if (!isLoading) break
          const ok = await publishOne({
            kitchenBase,
            tokens: { reporter: reporterToken, editor: token },
            sectionId,
            n: published + publishFailures,
          })
          if (ok) published += 1
          else publishFailures += 1
        }
      })()
      const [siteResult, feedsResult, partnerResult] = await loadAll(SECONDS)
      isLoading = false
      await publishing
      const memoryEnd = await memoryOf(servers)
      for (const [target, result] of [
        ['site pages', siteResult],
        ['public feeds', feedsResult],
        ['partner feeds', partnerResult],
      ] as const) {
        add(`${target}: p50`, result.latency.p50)
        add(`${target}: p99`, result.latency.p99)
        add(`${target}: requests a second`, result.requests.average)
        add(`${target}: errors and non-2xx`, result.errors + result.timeouts + result.non2xx)
      }
      add('stories published during the run', published)
      add('publishes that failed', publishFailures)
      for (const name of Object.keys(servers)) {
        add(`${name} memory at start`, memoryStart[name] ?? Number.NaN)
        add(`${name} memory growth over the run`, (memoryEnd[name] ?? Number.NaN) - (memoryStart[name] ?? 0))
      }
    }
    const goals: Record<string, string> = {
      'site pages: errors and non-2xx': '0',
      'public feeds: errors and non-2xx': '0',
      'partner feeds: errors and non-2xx': '0',
      'partner feeds: p99': '≤ 20 ms',
      'publishes that failed': '0',
    }
    return Object.entries(samples).map(([name, values]) => ({
      name: `${name} (${stories} stories, ${SECONDS} s at ${RATES.site + RATES.feeds + RATES.partner} req/s)`,
      unit: name.includes('memory') ? 'MB' : name.includes('p50') || name.includes('p99') ? 'ms' : 'count',
      samples: values,
      goal: goals[name],
    }))
  } finally {
    for (const child of Object.values(servers)) await stopChild(child)
  }
}

async function memoryOf(servers: Record<string, ChildProcess>): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(servers).map(
      async ([name, child]) => [name, child.pid ? await processTreeMb(child.pid) : Number.NaN] as const,
    ),
  )
  return Object.fromEntries(entries)
}

/**
 * The section the bench's stories go to: one review level (初审), so the admin's one signature
 * approves them (a corpus section asks for two levels by different people). Made once per corpus.
 */
async function benchSectionId({
  kitchenBase,
  token,
}: {
  kitchenBase: string
  token: string
}): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization: `JWT ${token}` }
  const name = '压力测试'
  const found = await fetch(
    `${kitchenBase}/api/sections?limit=1&depth=0&where[name][equals]=${encodeURIComponent(name)}`,
    { headers },
  )
  const { docs } = (await found.json()) as { docs: { id: number }[] }
  if (docs[0]) return docs[0].id
  const made = await fetch(`${kitchenBase}/api/sections`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name, order: 99, reviewLevels: 1 }),
  })
  if (!made.ok) throw new Error(`the bench section was refused: ${made.status} ${await made.text()}`)
  return ((await made.json()) as { doc: { id: number } }).doc.id
}

/**
 * A publish through REST: a reporter's new draft, submitted, then approved and published by the
 * editor (the bench admin).
 */
async function publishOne({
  kitchenBase,
  tokens,
  sectionId,
  n,
}: {
  kitchenBase: string
  tokens: { reporter: string; editor: string }
  sectionId: number
  n: number
}): Promise<boolean> {
  const call = async (
    method: 'POST' | 'PATCH',
    url: string,
    body: unknown,
    as: keyof typeof tokens = 'editor',
  ) => {
    const response = await fetch(`${kitchenBase}/api${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `JWT ${tokens[as]}` },
      body: JSON.stringify(body),
    })
    return response.ok ? ((await response.json()) as { doc: { id: number } }) : null
  }
  const created = await call(
    'POST',
    '/stories',
    {
      title: `压力测试期间发布的第${n + 1}篇稿件`,
      summary: '编辑在公众与合作方读取的同时发稿。',
      // Words in the body: the pre-publication check refuses to approve an empty story.
      body: savedState(root(paragraph(text('编辑在公众与合作方读取的同时发稿，这是稿件的正文。')))),
      section: sectionId,
    },
    'reporter',
  )
  if (!created) return false
  if (!(await call('PATCH', `/stories/${created.doc.id}`, { stage: 'in_review' }, 'reporter'))) return false
  if (!(await call('PATCH', `/stories/${created.doc.id}`, { stage: 'approved' }))) return false
  return (
    (await call('PATCH', `/stories/${created.doc.id}`, { stage: 'published', _status: 'published' })) !== null
  )
}
