import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { projectRoot } from '../../cms/paths.ts'
import { corpusEnvironment } from './corpusDatabase.ts'
import { measureScript } from './measure.ts'
import type { Figure } from './report.ts'
import { lastJsonLine } from './runChild.ts'

export const DEFAULT_SIZES = [1_000, 3_000, 10_000]
export const scalingSvgPath = path.join(projectRoot, 'docs', 'bench-scaling.svg')

export interface ScalingPoint {
  /** The corpus size asked for (the demo's unpublished stories included). */
  stories: number
  /** Stories the build published. */
  published: number
  /** The build as the worker runs it, in seconds. */
  seconds: number
  peakMb: number
}

/**
 * Memory and time as the corpus grows: one cold site build (siteBuildChild into an empty dist
 * folder, until its pages and feeds are live) per corpus size, its time and peak memory (the build process and its
 * children), plotted to docs/bench-scaling.svg. Each size is its own corpus database, made
 * the first time (about 60 stories a second).
 */
export async function benchScaling({ sizes = DEFAULT_SIZES }: { sizes?: number[] }): Promise<Figure[]> {
  const points: ScalingPoint[] = []
  for (const stories of [...sizes].sort((a, b) => a - b)) {
    const env = await corpusEnvironment({ stories })
    const distDir = path.join(path.dirname(String(env.HONGYAN_DIST_DIR)), 'scaling-dist')
    await rm(distDir, { recursive: true, force: true })
    try {
      const measured = await measureScript({
        script: 'scripts/bench/siteBuildChild.ts',
        // The pages and feeds (search is the kitchen's, measured by the search benchmark).
        env: { ...env, HONGYAN_DIST_DIR: distDir },
      })
      const { live: ms, stories: published } = lastJsonLine<{ live: number; stories: number }>(
        measured.stdout,
      )
      points.push({ stories, published, seconds: ms / 1000, peakMb: measured.peakMb })
      console.log(
        `scaling: ${stories} stories built in ${(ms / 1000).toFixed(1)} s, peak ${measured.peakMb.toFixed(0)} MB`,
      )
    } finally {
      await rm(distDir, { recursive: true, force: true })
    }
  }
  await mkdir(path.dirname(scalingSvgPath), { recursive: true })
  await writeFile(scalingSvgPath, scalingSvg(points))
  console.log(`scaling: plot written to ${path.relative(projectRoot, scalingSvgPath)}`)
  return points.flatMap(({ stories, published, seconds, peakMb }) => [
    {
      name: `cold site build (pages and feeds live), corpus of ${stories} (${published} published): time`,
      unit: 'ms',
      samples: [seconds * 1000],
    },
    {
      name: `cold site build (pages and feeds live), corpus of ${stories} (${published} published): peak memory`,
      unit: 'MB',
      samples: [peakMb],
    },
  ])
}

const WIDTH = 960
const HEIGHT = 400
const PLOT = { left: 70, right: 20, top: 50, bottom: 60 }
const CHART_WIDTH = WIDTH / 2

/** Two line charts side by side: build time and peak memory against the number of stories. */
export function scalingSvg(points: ScalingPoint[]): string {
  const charts = [
    chart({
      points,
      value: (p) => p.seconds,
      title: 'Cold site build: pages and feeds live',
      unit: 'seconds',
      offsetX: 0,
    }),
    chart({ points, value: (p) => p.peakMb, title: 'Peak memory', unit: 'MB', offsetX: CHART_WIDTH }),
  ]
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    '<title>Hongyan: full site build time and peak memory against the number of stories</title>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    ...charts,
    `<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle" fill="#555">npm run bench -- scaling --sizes ${points.map((p) => p.stories).join(',')} · dashed: straight line fitted to the points</text>`,
    '</svg>',
    '',
  ].join('\n')
}

function chart({
  points,
  value,
  title,
  unit,
  offsetX,
}: {
  points: ScalingPoint[]
  value: (point: ScalingPoint) => number
  title: string
  unit: string
  offsetX: number
}): string {
  const left = offsetX + PLOT.left
  const right = offsetX + CHART_WIDTH - PLOT.right
  const top = PLOT.top
  const bottom = HEIGHT - PLOT.bottom
  const xTicks = niceTicks(Math.max(...points.map((p) => p.stories), 1))
  // Headroom above the highest point for its label.
  const yTicks = niceTicks(Math.max(...points.map(value), 1e-9) * 1.08)
  const xMax = xTicks.at(-1) as number
  const yMax = yTicks.at(-1) as number
  const x = (stories: number) => left + (stories / xMax) * (right - left)
  const y = (v: number) => bottom - (v / yMax) * (bottom - top)
  const parts = [
    `<text x="${(left + right) / 2}" y="${top - 20}" text-anchor="middle" font-size="15" font-weight="bold">${title}</text>`,
    ...yTicks.map(
      (tick) =>
        `<line x1="${left}" x2="${right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#e4e4e4"/>` +
        `<text x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${label(tick)}</text>`,
    ),
    ...xTicks.map(
      (tick) =>
        `<line x1="${x(tick)}" x2="${x(tick)}" y1="${bottom}" y2="${bottom + 5}" stroke="#333"/>` +
        `<text x="${x(tick)}" y="${bottom + 18}" text-anchor="middle">${storiesLabel(tick)}</text>`,
    ),
    `<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#333"/>`,
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#333"/>`,
    `<text x="${(left + right) / 2}" y="${bottom + 36}" text-anchor="middle">stories</text>`,
    `<text transform="translate(${left - 48} ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">${unit}</text>`,
  ]
  const fit = linearFit(points.map((p) => [p.stories, value(p)]))
  if (fit && points.length >= 2) {
    const at = (stories: number) => fit.intercept + fit.slope * stories
    // From where the line leaves the x axis, when it crosses it to the right of 0.
    const start = at(0) < 0 && fit.slope > 0 ? -fit.intercept / fit.slope : 0
    parts.push(
      `<line x1="${x(start)}" y1="${y(at(start))}" x2="${x(xMax)}" y2="${y(at(xMax))}" stroke="#999" stroke-dasharray="5 4"/>`,
    )
  }
  const line = points.map((p) => `${x(p.stories).toFixed(1)},${y(value(p)).toFixed(1)}`).join(' ')
  parts.push(`<polyline points="${line}" fill="none" stroke="#b22222" stroke-width="2"/>`)
  for (const p of points) {
    parts.push(
      `<circle cx="${x(p.stories).toFixed(1)}" cy="${y(value(p)).toFixed(1)}" r="4" fill="#b22222"/>` +
        `<text x="${x(p.stories).toFixed(1)}" y="${(y(value(p)) - 9).toFixed(1)}" text-anchor="middle" fill="#b22222">${label(value(p))}</text>`,
    )
  }
  return `<g>${parts.join('\n')}</g>`
}

/** About five round ticks from 0 to at least `max`. */
function niceTicks(max: number): number[] {
  const rough = max / 5
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude
  const ticks: number[] = []
  for (let tick = 0; tick < max + step; tick += step) {
    ticks.push(Number(tick.toPrecision(12)))
    if (tick >= max) break
  }
  return ticks
}

function label(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 100 ? 1 : 0)
}

/** Stories on the x axis: 10000 as 10k. */
function storiesLabel(value: number): string {
  return value >= 1000 && value % 1000 === 0 ? `${value / 1000}k` : label(value)
}

/** Least-squares straight line through the points, or null with fewer than two distinct x. */
function linearFit(pairs: [number, number][]): { slope: number; intercept: number } | null {
  const n = pairs.length
  const meanX = pairs.reduce((sum, [px]) => sum + px, 0) / n
  const meanY = pairs.reduce((sum, [, py]) => sum + py, 0) / n
  const sxx = pairs.reduce((sum, [px]) => sum + (px - meanX) ** 2, 0)
  if (!n || sxx === 0) return null
  const slope = pairs.reduce((sum, [px, py]) => sum + (px - meanX) * (py - meanY), 0) / sxx
  return { slope, intercept: meanY - slope * meanX }
}
