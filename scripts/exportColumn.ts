import path from 'node:path'
import { projectRoot } from '../cms/paths.ts'
import { describeFit } from '../cms/publishing/print/columnFit.ts'
import { exportColumnIssue } from '../cms/publishing/print/exportColumnIssue.ts'
import { runCli } from './lib/cli.ts'
import { prepareEnvironment } from './lib/environment.ts'
import { closePayload, loadMigratedPayload } from './lib/payload.ts'

/**
 * `npm run export:column -- --issue <id|date> [--out <folder>] [--force]`: the print package
 * of one column issue (default folder `dist/print`). An over-budget issue is refused unless
 * `--force`; every refusal is one line and exit code 1.
 */
runCli(async () => {
  const args = process.argv.slice(2)
  const flagValue = (flag: string) => {
    const at = args.indexOf(flag)
    return at >= 0 ? args[at + 1] : undefined
  }
  const issue = flagValue('--issue')
  if (!issue || issue.startsWith('--'))
    throw new Error('say which issue: --issue <id or date, e.g. 2026-12-01>')
  const outDir = path.resolve(projectRoot, flagValue('--out') ?? 'dist/print')
  const database = await prepareEnvironment()
  try {
    const payload = await loadMigratedPayload()
    try {
      const result = await exportColumnIssue({ payload, issue, outDir, force: args.includes('--force') })
      for (const slot of result.fit.slots) {
        console.log(
          `  ${slot.position}. ${slot.story.title}: ${describeFit({ running: slot.story.counts.running, budget: slot.budget })}`,
        )
      }
      if (result.forcedOverflow !== null)
        console.log(`  forced past the budget by ${result.forcedOverflow} 字 (recorded on the issue)`)
      console.log(
        `column package: ${result.files.length} files → ${path.relative(process.cwd(), result.dir) || result.dir}`,
      )
    } finally {
      await closePayload(payload)
    }
  } finally {
    await database.stop()
  }
})
