import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { stopWithin } from '../lib/run.ts'
import { startWorkerProcess } from '../lib/workerProcess.ts'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import { percentile } from './percentile.ts'
import type { Figure } from './report.ts'
import { lastJsonLine, runChild, runChildForJson } from './runChild.ts'

/** Titles of the stories this benchmark publishes start with it; they are withdrawn at the end. */
export const PUBLISH_PREFIX = '【基准发稿】'
const VISIBLE_TIMEOUT_MS = 30 * 60_000

/**
 * Publish one story → its page, its section page, the home page and the site RSS updated on
 * disk. The worker (`npm run worker`) runs on the corpus after one full build; each run an
 * editor (the bench admin, through the local API in a child process) publishes a new
 * story, and the bench polls the live site (`<dist>/site`) every 50 ms until all four show
 * it. Measured from the start of the publishing save, so it includes the site-build
 * debounce (0.3 s), the worker's poll of the site queue (≤ 0.25 s) and the build.
 */
export async function benchPublish({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const live = path.join(String(env.HONGYAN_DIST_DIR), 'site')
  // The live site to publish into.
  await runChildForJson({ script: 'scripts/bench/siteBuildChild.ts', env })
  const sectionSlug = (await readdir(path.join(live, 'sections')))[0]
  if (!sectionSlug) throw new Error('the built site has no section page')
  const worker = await startWorkerProcess({ env })
  // The worker's own account of each build, printed beside the figures.
  worker.stdout?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n'))
      if (line.includes('site rebuilt'))
        console.log(`worker: ${line.replace(/^.*site rebuilt/, 'site rebuilt')}`)
  })
  const visible: number[] = []
  const saves: number[] = []
  try {
    for (let run = 0; run < runs; run += 1) {
      const stamp = Date.now()
      const title = `${PUBLISH_PREFIX}第${run + 1}篇（${stamp}）`
      const slug = `bench-publish-${stamp}`
      const publishing = runChild({
        script: 'scripts/bench/storyChild.ts',
        args: ['publish', title, slug, sectionSlug],
        env,
      })
      const [output, visibleAt] = await Promise.all([
        publishing,
        whenVisible({ live, slug, sectionSlug, title, deadline: Date.now() + VISIBLE_TIMEOUT_MS }),
      ])
      const { startedAt, savedAt } = lastJsonLine<{ startedAt: number; savedAt: number }>(output)
      visible.push(visibleAt - startedAt)
      saves.push(savedAt - startedAt)
      console.log(`publish ${run + 1}/${runs}: visible after ${visibleAt - startedAt} ms`)
    }
  } finally {
    await stopWithin({ child: worker })
    await runChild({ script: 'scripts/bench/storyChild.ts', args: ['withdraw', PUBLISH_PREFIX], env })
  }
  return [
    {
      name: `publish → story, section, home and RSS on disk, each publish (${stories} stories)`,
      unit: 'ms',
      samples: visible,
    },
    { name: 'publish → visible, p50', unit: 'ms', samples: [percentile(visible, 50)] },
    { name: 'publish → visible, p95', unit: 'ms', samples: [percentile(visible, 95)], goal: '≤ 2000 ms' },
    { name: 'of which: the publishing save (local API)', unit: 'ms', samples: saves },
  ]
}

/** Epoch ms at which the live site first shows the story in all four places. */
async function whenVisible({
  live,
  slug,
  sectionSlug,
  title,
  deadline,
}: {
  live: string
  slug: string
  sectionSlug: string
  title: string
  deadline: number
}): Promise<number> {
  const has = async (file: string, text?: string) => {
    if (text === undefined)
      return stat(path.join(live, file)).then(
        () => true,
        () => false,
      )
    return (await readFile(path.join(live, file), 'utf8').catch(() => '')).includes(text)
  }
  while (Date.now() < deadline) {
    const checks = await Promise.all([
      has(path.join('stories', slug, 'index.html')),
      has('index.html', title),
      has(path.join('sections', sectionSlug, 'index.html'), title),
      has('rss.xml', title),
    ])
    if (checks.every(Boolean)) return Date.now()
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`"${title}" did not appear on the site within ${VISIBLE_TIMEOUT_MS / 60_000} min`)
}
