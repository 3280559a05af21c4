/**
 * The table BENCHMARKS.md opens with: one row a goal, each keyed by `<!-- goal:<id> -->` in
 * its first cell. A benchmark run rewrites the rows its figures fill (figure, date, machine)
 * and leaves every other row as it is. Pure: text in, text out.
 */

/** One measured value a row shows: the median of the first figure whose name `figure` matches. */
export type GoalPart = {
  figure: RegExp
  /** Words before the value in its cell (`p95`, `peak`); empty for none. */
  label: string
  show: (median: number) => string
  atMost?: number
  atLeast?: number
  /** The cell it goes in: the figure itself, or the ratio to an anchor beside it. */
  column?: 'latest' | 'hugo' | 'astro'
  /** Every figure the pattern matches is added up (the errors of several targets). */
  isSum?: boolean
}

export type GoalRow = {
  id: string
  benchmark: string
  goal: string
  target: string
  /** The corpus the goal is measured at: a run on another (`--stories`) leaves the row alone. */
  stories?: number
  parts: GoalPart[]
}

export type BenchRun = {
  benchmark: string
  figures: { name: string; median: number }[]
  stories: number
  at: Date
  machine: string
}

export const TABLE_HEADER = [
  '| goal | target | latest | vs Hugo | vs plain Astro | met | date | machine |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
]

/**
 * `markdown` with the rows `run` fills rewritten; a row the table lacks is added at its end.
 * A row is filled only when every one of its parts found a figure in the run.
 */
export function updateGoalTable({
  markdown,
  rows,
  run,
}: {
  markdown: string
  rows: GoalRow[]
  run: BenchRun
}): { markdown: string; updated: string[] } {
  const lines = markdown.split('\n')
  const header = lines.indexOf(TABLE_HEADER[0] as string)
  if (header < 0) throw new Error('BENCHMARKS.md has no goal table (its header row is missing)')
  let end = header + 2
  while (lines[end]?.startsWith('|')) end += 1
  const updated: string[] = []
  for (const row of rows) {
    const line = renderRow({ row, run })
    if (line === null) continue
    const at = lines.findIndex((text, index) => index > header && index < end && text.includes(rowKey(row)))
    if (at >= 0) lines[at] = line
    else lines.splice(end++, 0, line)
    updated.push(row.id)
  }
  return { markdown: lines.join('\n'), updated }
}

/** The row's line as `run` measured it, or null when the run does not measure this row. */
function renderRow({ row, run }: { row: GoalRow; run: BenchRun }): string | null {
  if (row.benchmark !== run.benchmark) return null
  if (row.stories !== undefined && row.stories !== run.stories) return null
  const shown = row.parts
    .map((part) => ({ part, value: measuredValue({ part, run }) }))
    .filter((entry): entry is { part: GoalPart; value: number } => entry.value !== null)
  if (shown.length < row.parts.length) return null
  const cell = (column: GoalPart['column']) =>
    shown
      .filter(({ part }) => (part.column ?? 'latest') === column)
      .map(
        ({ part, value }) => `${part.label ? `${part.label} ` : ''}${part.show(value)}${mark(part, value)}`,
      )
      .join(', ') || '—'
  const checks = shown.filter(({ part }) => hasLimit(part))
  const metCount = checks.filter(({ part, value }) => isMet(part, value)).length
  const met =
    checks.length === 0 ? '—' : metCount === checks.length ? 'yes' : metCount === 0 ? 'no' : 'partly'
  const date = `${run.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const cells = [
    `${row.goal} ${rowKey(row)}`,
    row.target,
    cell('latest'),
    cell('hugo'),
    cell('astro'),
    met,
    date,
    run.machine,
  ]
  return `| ${cells.join(' | ')} |`
}

const rowKey = (row: GoalRow) => `<!-- goal:${row.id} -->`

function measuredValue({ part, run }: { part: GoalPart; run: BenchRun }): number | null {
  const matches = run.figures.filter((figure) => part.figure.test(figure.name))
  const [first] = matches
  if (!first) return null
  return part.isSum ? matches.reduce((sum, figure) => sum + figure.median, 0) : first.median
}

const hasLimit = (part: GoalPart) => part.atMost !== undefined || part.atLeast !== undefined

function isMet(part: GoalPart, value: number): boolean {
  return (
    (part.atMost === undefined || value <= part.atMost) &&
    (part.atLeast === undefined || value >= part.atLeast)
  )
}

function mark(part: GoalPart, value: number): string {
  if (!hasLimit(part)) return ''
  return isMet(part, value) ? ' ✓' : ' ✗'
}

/** How a row shows a figure. */
export const show = {
  ms: (value: number) => `${Math.round(value)} ms`,
  seconds: (ms: number) => {
    const seconds = ms / 1000
    return `${seconds.toFixed(seconds >= 100 ? 0 : seconds >= 10 ? 1 : 2)} s`
  },
  minutes: (ms: number) => {
    const seconds = Math.round(ms / 1000)
    return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
  },
  mb: (value: number) => `${Math.round(value)} MB`,
  times: (value: number) => `${value.toFixed(2)}×`,
  /** `unit` as it follows the number: ' req/s', '/s'. */
  perSecond: (unit: string) => (value: number) => `${value.toFixed(value >= 100 ? 0 : 1)}${unit}`,
  count: (value: number) => `${Math.round(value)}`,
  kb: (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`,
  percent: (value: number) => `${value.toFixed(value === 100 ? 0 : 2)} %`,
}
