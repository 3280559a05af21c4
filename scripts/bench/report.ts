import { appendFile, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'
import { goalRows } from './goalRows.ts'
import { updateGoalTable } from './goalTable.ts'

export type Figure = { name: string; unit: string; samples: number[]; goal?: string }

const benchmarksFile = path.join(projectRoot, 'BENCHMARKS.md')
const historyFile = path.join(projectRoot, 'docs', 'benchmarks-history.md')

/**
 * Prints the figures with the machine they ran on, appends them so to
 * docs/benchmarks-history.md, and rewrites the rows of BENCHMARKS.md's goal table they
 * measure (figure, date, machine).
 */
export async function report({
  benchmark,
  figures,
  stories,
  notes = [],
}: {
  benchmark: string
  figures: Figure[]
  /** The corpus the run used (`--stories`): rows set at another size are left alone. */
  stories: number
  notes?: string[]
}) {
  const at = new Date()
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${os.platform()} ${os.arch()}`
  const measured = figures.map(({ name, unit, samples, goal }) => {
    const sorted = [...samples].sort((a, b) => a - b)
    return { name, unit, goal, sorted, median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN }
  })
  const rows = measured.map(({ name, unit, goal, sorted, median }) => {
    const format = (value: number | undefined) =>
      `${(value ?? Number.NaN).toFixed(unit === 'ms' ? 0 : 2)} ${unit}`
    return `| ${name} | ${format(median)} | ${format(sorted[0])} | ${format(sorted.at(-1))} | ${sorted.length} | ${goal ?? ''} |`
  })
  const section = [
    `### ${benchmark} — ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine}. Corpus (\`--stories\`): ${stories}.`,
    '',
    '| figure | median | min | max | runs | goal |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n')
  console.log(section)
  await appendFile(historyFile, `\n${section}`)
  const { markdown, updated } = updateGoalTable({
    markdown: await readFile(benchmarksFile, 'utf8'),
    rows: goalRows,
    run: { benchmark, figures: measured, stories, at, machine },
  })
  await writeFile(benchmarksFile, markdown)
  console.log(
    updated.length
      ? `bench: BENCHMARKS.md rows updated: ${updated.join(', ')}`
      : `bench: no BENCHMARKS.md row is measured by ${benchmark} at ${stories} stories; the run is in the history only`,
  )
}
