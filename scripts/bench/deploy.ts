import { mkdtemp, readdir, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import S3rver from 's3rver'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import { PUBLISH_PREFIX } from './publish.ts'
import type { Figure } from './report.ts'
import { runChild, runChildForJson } from './runChild.ts'

type DeployTiming = {
  deployMs: number
  deploy: { uploaded: number; bytesUploaded: number; deleted: number; unchanged: number } | null
}

const BUCKET = 'hongyan-site'

/**
 * The site deployed to a bucket (HONGYAN_SITE_BUCKET) on the corpus: a first deploy of the
 * whole site, then each run an editor publishes a story (local API, as the admin) and a site
 * build deploys what changed; at the end the bench's stories are withdrawn and deployed away.
 * The bucket is s3rver (an S3-protocol server on loopback, objects on disk): the bytes and the
 * objects uploaded are the deploy's own; the time is a loopback figure, not a provider's.
 */
export async function benchDeploy({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const corpus = await corpusEnvironment({ stories })
  const directory = await mkdtemp(path.join(os.tmpdir(), 'hongyan-bench-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET, configs: [] }],
    vhostBuckets: false,
  })
  const { port } = (await server.run()) as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...corpus,
    HONGYAN_S3_ENDPOINT: endpoint,
    HONGYAN_S3_ACCESS_KEY_ID: 'S3RVER',
    HONGYAN_S3_SECRET_ACCESS_KEY: 'S3RVER',
    HONGYAN_S3_FORCE_PATH_STYLE: '1',
    HONGYAN_SITE_BUCKET: BUCKET,
  }
  const build = () => runChildForJson<DeployTiming>({ script: 'scripts/bench/siteBuildChild.ts', env })
  const publishes: DeployTiming[] = []
  let first: DeployTiming | null = null
  let withdrawal: DeployTiming | null = null
  try {
    first = await build()
    const sections = await readdir(path.join(String(env.HONGYAN_DIST_DIR), 'site', 'sections'))
    const sectionSlug = sections[0]
    if (!sectionSlug) throw new Error('the built site has no section page')
    for (let run = 0; run < runs; run += 1) {
      const stamp = Date.now()
      await runChild({
        script: 'scripts/bench/storyChild.ts',
        args: [
          'publish',
          `${PUBLISH_PREFIX}上桶第${run + 1}篇（${stamp}）`,
          `bench-deploy-${stamp}`,
          sectionSlug,
        ],
        env,
      })
      const timing = await build()
      publishes.push(timing)
      console.log(
        `publish ${run + 1}/${runs}: ${timing.deploy?.uploaded} objects, ${timing.deploy?.bytesUploaded} bytes uploaded in ${timing.deployMs} ms`,
      )
    }
  } finally {
    await runChild({ script: 'scripts/bench/storyChild.ts', args: ['withdraw', PUBLISH_PREFIX], env })
    withdrawal = await build().catch(() => null)
    await forgetBucket({ databaseUrl: String(env.DATABASE_URL), endpoint })
    await server.close()
    await rm(directory, { recursive: true, force: true })
  }
  const of = (timings: DeployTiming[], pick: (timing: DeployTiming) => number | undefined) =>
    timings.map((timing) => pick(timing) ?? Number.NaN)
  return [
    {
      name: `first deploy: objects uploaded (${stories} stories, the whole site)`,
      unit: 'count',
      samples: of([first], (t) => t.deploy?.uploaded),
    },
    {
      name: 'first deploy: MB uploaded (text gzipped)',
      unit: 'MB',
      samples: of([first], (t) => (t.deploy?.bytesUploaded ?? 0) / 2 ** 20),
    },
    { name: 'first deploy: time', unit: 'ms', samples: of([first], (t) => t.deployMs) },
    {
      name: `publish → bytes uploaded to the site bucket, each publish (${stories} stories)`,
      unit: 'bytes',
      samples: of(publishes, (t) => t.deploy?.bytesUploaded),
      goal: '≤ 1 MB',
    },
    { name: 'publish → objects uploaded', unit: 'count', samples: of(publishes, (t) => t.deploy?.uploaded) },
    {
      name: 'publish → deploy time (loopback s3rver)',
      unit: 'ms',
      samples: of(publishes, (t) => t.deployMs),
    },
    ...(withdrawal
      ? [
          {
            name: `withdraw ${runs} stories → objects deleted`,
            unit: 'count',
            samples: of([withdrawal], (t) => t.deploy?.deleted),
          },
        ]
      : []),
  ]
}

/** The bench's bucket is gone with its server: its deployed state goes too. */
async function forgetBucket({ databaseUrl, endpoint }: { databaseUrl: string; endpoint: string }) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('delete from site_deploy_objects where target like $1', [`${endpoint}|%`])
  } finally {
    await client.end()
  }
}
