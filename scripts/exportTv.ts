import path from 'node:path'
import { describeSegmentFit } from '../cms/channels/tv/script.ts'
import { projectRoot } from '../cms/paths.ts'
import { exportTvEpisode } from '../cms/publishing/tv/exportTvEpisode.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run export:tv -- --episode <id|date> [--out <folder>]`: the TV package of one episode
 * (default folder `dist/tv`), with each segment's timing. An episode over its time budget is
 * exported and says by how much; every refusal is one line and exit code 1.
 */
runCli(async () => {
  const args = process.argv.slice(2)
  const flagValue = (flag: string) => {
    const at = args.indexOf(flag)
    return at >= 0 ? args[at + 1] : undefined
  }
  const episode = flagValue('--episode')
  if (!episode || episode.startsWith('--'))
    throw new Error('say which episode: --episode <id or air date, e.g. 2026-12-12>')
  const outDir = path.resolve(projectRoot, flagValue('--out') ?? 'dist/tv')
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    try {
      const { fit, files, dir } = await exportTvEpisode({ payload, episode, outDir })
      for (const { position, script } of fit.segments) {
        console.log(
          `  ${position}. ${script.title}: ${describeSegmentFit({ seconds: script.totalSeconds, budget: script.budgetSeconds })}`,
        )
      }
      console.log(`  in all: ${describeSegmentFit({ seconds: fit.totalSeconds, budget: fit.budgetSeconds })}`)
      const over = fit.segments.filter(({ script }) => script.over > 0)
      if (over.length || fit.over > 0) {
        const parts = over.map(({ position, script }) => `segment ${position} by ${script.over} s`)
        if (fit.over > 0) parts.push(`the episode by ${fit.over} s`)
        console.log(`  over the budget: ${parts.join(', ')} (exported all the same: trim on the edit)`)
      }
      console.log(`TV package: ${files.length} files → ${path.relative(process.cwd(), dir) || dir}`)
    } finally {
      await closePayload(payload)
    }
  } finally {
    await database.stop()
  }
})
