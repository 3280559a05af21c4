import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningDatabase, startEmbeddedPostgres } from '../../cms/db/embeddedPostgres.ts'
import { liveBuild, liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { stopSearchIndexer } from '../../cms/publishing/site/searchIndex.ts'
import { createSiteServer } from '../../cms/publishing/site/siteServer.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { fileDigests, publishedStory } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Postgres stopped during a site build, with a Postgres server of this file's own (the
 * embedded one, stopped and started again on the same data). The build's injected
 * `beforeGoingLive` stops it at a known moment: every page written, nothing live yet.
 */
const SITE_URL = 'https://news.hongyan.example.cn'
let dataRoot: string
let database: RunningDatabase
let kitchen: TestKitchen
let payload: Payload
let distDir: string
let section: number
let siteServer: Server
let siteAddress: string

const startDatabase = () =>
  startEmbeddedPostgres({ dataDir: path.join(dataRoot, 'data'), database: 'hongyan_site_faults' })

beforeAll(async () => {
  dataRoot = await mkdtemp(path.join(tmpdir(), 'hongyan-fault-pg-'))
  await chmod(dataRoot, 0o755)
  database = await startDatabase()
  kitchen = await startTestKitchen({ databaseUrl: database.url })
  payload = kitchen.payload
  distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-site-outage-'))
  section = (await payload.create({ collection: collectionSlugs.sections, data: { name: '停库', order: 1 } }))
    .id
  for (const title of ['停库前的第一篇', '停库前的第二篇'])
    await publishedStory({ payload, title, section, publishedAt: new Date(Date.now() - 60_000) })
  siteServer = createSiteServer({ distDir })
  await new Promise<void>((resolve) => siteServer.listen(0, '127.0.0.1', resolve))
  siteAddress = `http://127.0.0.1:${(siteServer.address() as AddressInfo).port}`
}, 120_000)

afterAll(async () => {
  await new Promise((resolve) => siteServer?.close(resolve))
  await stopSearchIndexer()
  await kitchen?.cleanup().catch(() => undefined)
  await database?.stop()
  for (const dir of [distDir, dataRoot]) if (dir) await rm(dir, { recursive: true, force: true })
})

const build = (options: { siteUrl?: string; beforeGoingLive?: () => Promise<void> } = {}) =>
  buildSite({ payload, distDir, mediaDir: kitchen.mediaDir, siteUrl: SITE_URL, ...options })

const stopDatabase = async () => {
  await database.stop()
}

const homeBytes = async () => {
  const response = await fetch(`${siteAddress}/`)
  return { status: response.status, text: await response.text() }
}

/** The builds in the dist folder, and anything a build left unfinished there. */
const buildFolders = async () => (await readdir(path.join(distDir, 'site-builds'))).sort()

describe('Postgres stopped during a site build', () => {
  it('a new build: the last good site keeps serving untouched, the build fails cleanly, the next one succeeds', async () => {
    await build()
    const good = (await liveBuild({ distDir })) as string
    const goodFiles = await fileDigests(liveSitePath(distDir))
    const goodHome = await homeBytes()
    expect(goodHome.status).toBe(200)
    const news = await publishedStory({ payload, title: '停库期间发布的报道', section })

    // Another address: every page is rendered into a new folder, then the database stops.
    await expect(
      build({ siteUrl: 'https://other.hongyan.example.cn', beforeGoingLive: stopDatabase }),
    ).rejects.toThrow(/the database went away during the build/)
    expect(await liveBuild({ distDir })).toBe(good)
    expect(await fileDigests(liveSitePath(distDir))).toEqual(goodFiles)
    expect(await homeBytes()).toEqual(goodHome)
    // Nothing half-built is left beside it.
    expect(await buildFolders()).toEqual([path.basename(good)])

    // The database returns; the next build needs no one to clear a lock or a folder.
    database = await startDatabase()
    const next = await build({ siteUrl: 'https://other.hongyan.example.cn' })
    expect(next.buildDir).not.toBe(good)
    expect(await liveBuild({ distDir })).toBe(next.buildDir)
    expect(existsSync(path.join(liveSitePath(distDir), 'stories', String(news.slug), 'index.html'))).toBe(
      true,
    )
    const home = await homeBytes()
    expect(home.status).toBe(200)
    expect(home.text).toContain('停库期间发布的报道')
  }, 240_000)

  it('an update in place: it fails before it goes live, and the next build renders anew, unasked', async () => {
    const first = await build()
    const news = await publishedStory({ payload, title: '停库期间的第二次发布', section })
    await expect(build({ beforeGoingLive: stopDatabase })).rejects.toThrow(
      /the database went away during the build/,
    )
    // The pages written in place are whole; the update that did not finish leaves the build
    // marked dirty (its state is the old one), so the next build trusts none of its keys.
    expect(await liveBuild({ distDir })).toBe(first.buildDir)
    expect(existsSync(path.join(distDir, 'site-state', `${path.basename(first.buildDir)}.dirty`))).toBe(true)
    expect((await homeBytes()).status).toBe(200)

    database = await startDatabase()
    const next = await build()
    expect(next.buildDir).not.toBe(first.buildDir)
    expect(next.pagesReused).toBe(0)
    expect(await buildFolders()).toContain(path.basename(next.buildDir))
    expect(existsSync(path.join(liveSitePath(distDir), 'stories', String(news.slug), 'index.html'))).toBe(
      true,
    )
    expect((await homeBytes()).text).toContain('停库期间的第二次发布')
  }, 240_000)
})
