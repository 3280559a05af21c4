import { appendFile, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'

export type Figure = { name: string; unit: string; samples: number[]; goal?: string }

const HEADER = `# Benchmarks

Every run of \`npm run bench -- <name>\` (scripts/bench/) appends a section: the newest is last.
Figures are the median of the runs, with min and max, on the machine named in the section.
`

/** Prints the figures with the machine they ran on and appends them to BENCHMARKS.md. */
export async function report({
  benchmark,
  figures,
  notes = [],
}: {
  benchmark: string
  figures: Figure[]
  notes?: string[]
}) {
  const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}, ${os.platform()} ${os.arch()}`
  const rows = figures.map(({ name, unit, samples, goal }) => {
    const sorted = [...samples].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
    const format = (value: number | undefined) =>
      `${(value ?? Number.NaN).toFixed(unit === 'ms' ? 0 : 2)} ${unit}`
    return `| ${name} | ${format(median)} | ${format(sorted[0])} | ${format(sorted.at(-1))} | ${sorted.length} | ${goal ?? ''} |`
  })
  const section = [
    `## ${benchmark} — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${machine}.`,
    '',
    '| figure | median | min | max | runs | goal |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...(notes.length ? ['', ...notes] : []),
    '',
  ].join('\n')
  console.log(section)
  const file = path.join(projectRoot, 'BENCHMARKS.md')
  const existing = await readFile(file, 'utf8').catch(() => '')
  if (!existing) await writeFile(file, HEADER)
  await appendFile(file, `\n${section}`)
}
