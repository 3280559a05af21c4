import { access, cp, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import { type Measured, measureCommand, measureScript } from './measure.ts'
import type { Figure } from './report.ts'
import { lastJsonLine, runChild } from './runChild.ts'

const templates = path.join(projectRoot, 'scripts', 'bench', 'anchors')
const EDIT_MARK = '（已更新）'

/**
 * The side-by-side anchors on one corpus: its published stories exported once as Markdown
 * (front matter and the body's paragraphs), then each run:
 * - Hugo (Debian's `hugo`): a cold `hugo --quiet` of scripts/bench/anchors/hugo/ (one page
 *   per story, home and list pages);
 * - plain Astro (scripts/bench/anchors/plain-astro/: the glob() loader, one page per story, no
 *   integrations) built cold with the project's Astro, then again after one story's title
 *   was changed in its Markdown;
 * - Hongyan's site build (siteBuildChild: plate → render → media → swap → Pagefind) into an
 *   empty dist folder (cold), then again after one story's title was changed through the
 *   local API (the build updates the live one in place). Its time is until the pages and
 *   feeds are live; the search index that follows is measured by the site-build benchmark.
 * Wall clock and peak memory (the process and its children) of each; Hongyan's time is the
 * build as the worker runs it (Payload already started), its process's wall clock is given
 * too. Ratios are per run.
 */
export async function benchAnchors({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const hugo = await which('hugo')
  if (!hugo) throw new Error("hugo is missing: install Debian's (apt-get install -y hugo)")
  const env = await corpusEnvironment({ stories })
  const work = path.join(path.dirname(String(env.HONGYAN_DIST_DIR)), 'anchors')
  await rm(work, { recursive: true, force: true })
  const content = path.join(work, 'content')
  const exported = lastJsonLine<{ stories: number; edit: { id: number; slug: string; title: string } }>(
    await runChild({
      script: 'scripts/bench/anchorsExportChild.ts',
      args: [path.join(content, 'stories')],
      env,
    }),
  )
  const { edit } = exported
  await cp(path.join(templates, 'hugo'), path.join(work, 'hugo'), { recursive: true })
  const astroRoot = path.join(templates, 'plain-astro')
  const astroOut = path.join(work, 'astro-dist')
  const astroCache = path.join(work, 'astro-cache')
  const astroEnv = {
    ...process.env,
    NODE_ENV: 'production' as const,
    ASTRO_TELEMETRY_DISABLED: '1',
    PLAIN_ASTRO_CONTENT_DIR: path.join(content, 'stories'),
    PLAIN_ASTRO_OUT_DIR: astroOut,
    PLAIN_ASTRO_CACHE_DIR: astroCache,
  }
  const buildAstro = () =>
    measureCommand({
      command: process.execPath,
      args: [
        path.join(projectRoot, 'node_modules', 'astro', 'bin', 'astro.mjs'),
        'build',
        '--root',
        astroRoot,
      ],
      cwd: astroRoot,
      env: astroEnv,
    })
  const hongyanDist = path.join(work, 'hongyan-dist')
  // Pages and feeds, as Hugo and plain Astro build (search is the kitchen's: the search benchmark).
  const hongyanEnv = { ...env, HONGYAN_DIST_DIR: hongyanDist }
  const buildHongyan = async () => {
    const measured = await measureScript({ script: 'scripts/bench/siteBuildChild.ts', env: hongyanEnv })
    return { ...measured, buildMs: lastJsonLine<{ live: number }>(measured.stdout).live }
  }
  const editedFile = path.join(content, 'stories', `${edit.slug}.md`)

  const samples: Record<string, { unit: string; values: number[] }> = {}
  const add = (name: string, unit: string, value: number) => {
    samples[name] ??= { unit, values: [] }
    samples[name].values.push(value)
  }
  const addBuild = (name: string, measured: Measured) => {
    add(`${name}: time`, 'ms', measured.ms)
    add(`${name}: peak memory`, 'MB', measured.peakMb)
  }
  try {
    for (let run = 0; run < runs; run += 1) {
      await rm(path.join(work, 'hugo-public'), { recursive: true, force: true })
      const hugoBuild = await measureCommand({
        command: hugo,
        args: [
          '--quiet',
          '--source',
          path.join(work, 'hugo'),
          '--contentDir',
          content,
          '--destination',
          path.join(work, 'hugo-public'),
          '--cacheDir',
          path.join(work, 'hugo-cache'),
        ],
      })
      addBuild('Hugo, cold build', hugoBuild)

      await rm(astroOut, { recursive: true, force: true })
      await rm(astroCache, { recursive: true, force: true })
      const astroBuild = await buildAstro()
      addBuild('plain Astro, cold build', astroBuild)
      const original = await readFile(editedFile, 'utf8')
      await writeFile(editedFile, original.replace(/^title: "(.*)"$/m, `title: "$1${EDIT_MARK}"`))
      const astroEdited = await buildAstro().finally(() => writeFile(editedFile, original))
      addBuild('plain Astro, one story edited', astroEdited)

      await rm(hongyanDist, { recursive: true, force: true })
      const hongyanBuild = await buildHongyan()
      add('Hongyan, cold build: pages and feeds live (as the worker builds)', 'ms', hongyanBuild.buildMs)
      add('Hongyan, cold build: process wall clock, Payload start included', 'ms', hongyanBuild.ms)
      add('Hongyan, cold build: peak memory', 'MB', hongyanBuild.peakMb)
      await runChild({
        script: 'scripts/bench/storyChild.ts',
        args: ['retitle', String(edit.id), `${edit.title}${EDIT_MARK}`],
        env,
      })
      const hongyanEdited = await buildHongyan().finally(() =>
        runChild({
          script: 'scripts/bench/storyChild.ts',
          args: ['retitle', String(edit.id), edit.title],
          env,
        }),
      )
      add(
        'Hongyan, one story edited: pages and feeds live (as the worker builds)',
        'ms',
        hongyanEdited.buildMs,
      )
      add('Hongyan, one story edited: peak memory', 'MB', hongyanEdited.peakMb)

      add('ratio Hongyan / Hugo, cold build', '×', hongyanBuild.buildMs / hugoBuild.ms)
      add('ratio Hongyan / plain Astro, cold build', '×', hongyanBuild.buildMs / astroBuild.ms)
      add('ratio Hongyan / plain Astro, one story edited', '×', hongyanEdited.buildMs / astroEdited.ms)
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  const goals: Record<string, string> = {
    'Hongyan, cold build: pages and feeds live (as the worker builds)': '≤ 10000 ms at 10k',
    'Hongyan, cold build: peak memory': '≤ 1536 MB at 10k',
    'ratio Hongyan / Hugo, cold build': '≤ 3×',
    'ratio Hongyan / plain Astro, cold build': '≤ 0.33× (3× faster)',
  }
  return Object.entries(samples).map(([name, { unit, values }]) => ({
    name: `${name} (${exported.stories} stories)`,
    unit,
    samples: values,
    goal: goals[name],
  }))
}

/** The absolute path of a command on PATH, or undefined. */
async function which(command: string): Promise<string | undefined> {
  for (const dir of String(process.env.PATH).split(path.delimiter)) {
    const candidate = path.join(dir, command)
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate
  }
  return undefined
}
