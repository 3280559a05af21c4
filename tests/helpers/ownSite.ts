import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Payload } from 'payload'
import { liveSitePath } from '../../cms/publishing/site/buildFolders.ts'
import type { BuildOptions, SiteBuildResult } from '../../cms/publishing/site/buildOptions.ts'
import { buildSite } from '../../cms/publishing/site/buildSite.ts'
import { createSiteServer } from '../../cms/publishing/site/siteServer.ts'

/** The public address the site tests build for. */
export const SITE_URL = 'https://news.hongyan.example.cn'

/** A dist folder of the test's own, and the site builds that go into it. */
export type OwnSite = {
  distDir: string
  /** The live site in it: what the site server serves. */
  site: string
  /** A build of the kitchen's stories into the folder, for SITE_URL unless told otherwise. */
  build: (options?: Pick<BuildOptions, 'siteUrl' | 'beforeGoingLive'>) => Promise<SiteBuildResult>
  /** Removes the folder. */
  cleanup: () => Promise<void>
}

/** The static site server on a free local port, serving the live site of `distDir`. */
export type ServedSite = { address: string; close: () => Promise<void> }

/** An empty dist folder (its name begins with `prefix`) for the builds of `payload`'s stories. */
export async function createOwnSite({
  payload,
  mediaDir,
  prefix,
}: {
  payload: Payload
  mediaDir: string
  prefix: string
}): Promise<OwnSite> {
  const distDir = await mkdtemp(path.join(tmpdir(), prefix))
  return {
    distDir,
    site: liveSitePath(distDir),
    build: (options = {}) => buildSite({ payload, distDir, mediaDir, siteUrl: SITE_URL, ...options }),
    cleanup: async () => {
      await rm(distDir, { recursive: true, force: true })
    },
  }
}

export async function serveSite({ distDir }: { distDir: string }): Promise<ServedSite> {
  const server = createSiteServer({ distDir })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
