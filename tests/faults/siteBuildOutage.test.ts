import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { liveBuild } from '../../cms/publishing/site/buildFolders.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { type OwnPostgres, startOwnPostgres } from '../helpers/ownPostgres.ts'
import { createOwnSite, type OwnSite, type ServedSite, serveSite } from '../helpers/ownSite.ts'
import { fileDigests, publishedStory } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Postgres stopped during a site build, with a Postgres server of this file's own (the
 * embedded one, stopped and started again on the same data). The build's injected
 * `beforeGoingLive` stops it at a known moment: every page written, nothing live yet.
 */
let database: OwnPostgres
let kitchen: TestKitchen
let payload: Payload
let ownSite: OwnSite
let section: number
let server: ServedSite

beforeAll(async () => {
  database = await startOwnPostgres({ database: 'hongyan_site_faults' })
  kitchen = await startTestKitchen({ databaseUrl: database.url })
  payload = kitchen.payload
  ownSite = await createOwnSite({ payload, mediaDir: kitchen.mediaDir, prefix: 'hongyan-site-outage-' })
  section = (await payload.create({ collection: collectionSlugs.sections, data: { name: '停库', order: 1 } }))
    .id
  for (const title of ['停库前的第一篇', '停库前的第二篇'])
    await publishedStory({ payload, title, section, publishedAt: new Date(Date.now() - 60_000) })
  server = await serveSite({ distDir: ownSite.distDir })
}, 120_000)

afterAll(async () => {
  await server?.close()
  await ownSite?.cleanup()
  await kitchen?.cleanup().catch(() => undefined)
  await database?.cleanup()
})

const stopDatabase = () => database.stop()

const homeBytes = async () => {
  const response = await fetch(`${server.address}/`)
  return { status: response.status, text: await response.text() }
}

/** The builds in the dist folder, and anything a build left unfinished there. */
const buildFolders = async () => (await readdir(path.join(ownSite.distDir, 'site-builds'))).sort()

describe('Postgres stopped during a site build', () => {
  it('a new build: the last good site keeps serving untouched, the build fails cleanly, the next one succeeds', async () => {
    await ownSite.build()
    const good = (await liveBuild({ distDir: ownSite.distDir })) as string
    const goodFiles = await fileDigests(ownSite.site)
    const goodHome = await homeBytes()
    expect(goodHome.status).toBe(200)
    const news = await publishedStory({ payload, title: '停库期间发布的报道', section })

    // Another address: every page is rendered into a new folder, then the database stops.
    await expect(
      ownSite.build({ siteUrl: 'https://other.hongyan.example.cn', beforeGoingLive: stopDatabase }),
    ).rejects.toThrow(/the database went away during the build/)
    expect(await liveBuild({ distDir: ownSite.distDir })).toBe(good)
    expect(await fileDigests(ownSite.site)).toEqual(goodFiles)
    expect(await homeBytes()).toEqual(goodHome)
    // Nothing half-built is left beside it.
    expect(await buildFolders()).toEqual([path.basename(good)])

    // The database returns; the next build needs no one to clear a lock or a folder.
    await database.start()
    const next = await ownSite.build({ siteUrl: 'https://other.hongyan.example.cn' })
    expect(next.buildDir).not.toBe(good)
    expect(await liveBuild({ distDir: ownSite.distDir })).toBe(next.buildDir)
    expect(existsSync(path.join(ownSite.site, 'stories', String(news.slug), 'index.html'))).toBe(true)
    const home = await homeBytes()
    expect(home.status).toBe(200)
    expect(home.text).toContain('停库期间发布的报道')
  }, 240_000)

  it('an update in place: it fails before it goes live, and the next build renders anew, unasked', async () => {
    const first = await ownSite.build()
    const news = await publishedStory({ payload, title: '停库期间的第二次发布', section })
    await expect(ownSite.build({ beforeGoingLive: stopDatabase })).rejects.toThrow(
      /the database went away during the build/,
    )
    // The pages written in place are whole; the update that did not finish leaves the build
    // marked dirty (its state is the old one), so the next build trusts none of its keys.
    expect(await liveBuild({ distDir: ownSite.distDir })).toBe(first.buildDir)
    expect(
      existsSync(path.join(ownSite.distDir, 'site-state', `${path.basename(first.buildDir)}.dirty`)),
    ).toBe(true)
    expect((await homeBytes()).status).toBe(200)

    await database.start()
    const next = await ownSite.build()
    expect(next.buildDir).not.toBe(first.buildDir)
    expect(next.pagesReused).toBe(0)
    expect(await buildFolders()).toContain(path.basename(next.buildDir))
    expect(existsSync(path.join(ownSite.site, 'stories', String(news.slug), 'index.html'))).toBe(true)
    expect((await homeBytes()).text).toContain('停库期间的第二次发布')
  }, 240_000)
})
