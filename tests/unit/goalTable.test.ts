import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { goalRows } from '../../scripts/bench/goalRows.ts'
import {
  type BenchRun,
  type GoalRow,
  show,
  TABLE_HEADER,
  updateGoalTable,
} from '../../scripts/bench/goalTable.ts'

const rows: GoalRow[] = [
  {
    id: 'publish',
    benchmark: 'publish',
    goal: 'publish → visible',
    target: 'p95 ≤ 2 s',
    stories: 10_000,
    parts: [
      { figure: /^publish → visible, p95/, label: 'p95', show: show.seconds, atMost: 2000 },
      { figure: /^publish → visible, p50/, label: 'p50', show: show.seconds },
    ],
  },
  {
    id: 'cold-build',
    benchmark: 'anchors',
    goal: 'cold build',
    target: '≤ 10 s; ≤ 3× Hugo',
    parts: [
      { figure: /^Hongyan, cold build/, label: '', show: show.seconds, atMost: 10_000 },
      { figure: /^ratio Hongyan \/ Hugo/, label: '', show: show.times, atMost: 3, column: 'hugo' },
      { figure: /^Hugo, cold build/, label: 'Hugo', show: show.seconds, column: 'hugo' },
    ],
  },
  {
    id: 'load',
    benchmark: 'load',
    goal: 'load',
    target: '0 errors',
    parts: [{ figure: /errors/, label: 'errors', show: show.count, atMost: 0, isSum: true }],
  },
]

const publishRow =
  '| publish → visible <!-- goal:publish --> | p95 ≤ 2 s | p95 2.49 s ✗, p50 1.75 s | — | — | no | 2026-11-24 05:58 UTC | old machine |'
const coldRow =
  '| cold build <!-- goal:cold-build --> | ≤ 10 s; ≤ 3× Hugo | 15.6 s ✗ | 3.76× ✗, Hugo 4.26 s | — | no | 2026-11-24 09:27 UTC | old machine |'
const sample = [
  '# Benchmarks',
  '',
  'Intro.',
  '',
  ...TABLE_HEADER,
  publishRow,
  coldRow,
  '',
  '## How to run',
  '',
].join('\n')

const run = (overrides: Partial<BenchRun>): BenchRun => ({
  benchmark: 'publish',
  figures: [
    { name: 'publish → story, section, home and RSS on disk, each publish (10000 stories)', median: 930 },
    { name: 'publish → visible, p50', median: 932 },
    { name: 'publish → visible, p95', median: 1315 },
  ],
  stories: 10_000,
  at: new Date('2026-12-01T03:04:05Z'),
  machine: '2 cores, 24 GiB, Node 24.21.0, linux x64',
  ...overrides,
})

describe('the goal table of BENCHMARKS.md', () => {
  it('rewrites the row a run measures (figure, date, machine) and leaves every other line as it was', () => {
    const { markdown, updated } = updateGoalTable({ markdown: sample, rows, run: run({}) })
    expect(updated).toEqual(['publish'])
    const lines = markdown.split('\n')
    expect(lines).toHaveLength(sample.split('\n').length)
    expect(lines[6]).toBe(
      '| publish → visible <!-- goal:publish --> | p95 ≤ 2 s | p95 1.31 s ✓, p50 0.93 s | — | — | yes | 2026-12-01 03:04 UTC | 2 cores, 24 GiB, Node 24.21.0, linux x64 |',
    )
    expect(markdown.replace(lines[6] as string, publishRow)).toBe(sample)
  })

  it('fills the anchor columns and says a goal is met only partly when one limit is missed', () => {
    const { markdown } = updateGoalTable({
      markdown: sample,
      rows,
      run: run({
        benchmark: 'anchors',
        figures: [
          { name: 'Hugo, cold build: time (10029 stories)', median: 4000 },
          { name: 'Hongyan, cold build: pages and feeds live (10029 stories)', median: 9500 },
          { name: 'ratio Hongyan / Hugo, cold build (10029 stories)', median: 3.2 },
        ],
      }),
    })
    expect(markdown.split('\n')[7]).toBe(
      '| cold build <!-- goal:cold-build --> | ≤ 10 s; ≤ 3× Hugo | 9.50 s ✓ | 3.20× ✗, Hugo 4.00 s | — | partly | 2026-12-01 03:04 UTC | 2 cores, 24 GiB, Node 24.21.0, linux x64 |',
    )
  })

  it('leaves a row alone when the run is on another corpus or lacks one of its figures', () => {
    expect(updateGoalTable({ markdown: sample, rows, run: run({ stories: 1000 }) })).toEqual({
      markdown: sample,
      updated: [],
    })
    const partial = run({ figures: [{ name: 'publish → visible, p50', median: 900 }] })
    expect(updateGoalTable({ markdown: sample, rows, run: partial }).markdown).toBe(sample)
  })

  it('adds a row the table lacks at its end, summing the figures a part adds up', () => {
    const { markdown, updated } = updateGoalTable({
      markdown: sample,
      rows,
      run: run({
        benchmark: 'load',
        figures: [
          { name: 'site pages: errors and non-2xx (10000 stories)', median: 0 },
          { name: 'partner feeds: errors and non-2xx (10000 stories)', median: 2 },
        ],
      }),
    })
    expect(updated).toEqual(['load'])
    const lines = markdown.split('\n')
    expect(lines[8]).toMatch(
      /^\| load <!-- goal:load --> \| 0 errors \| errors 2 ✗ \| — \| — \| no \| 2026-12-01 03:04 UTC \|/,
    )
    expect(lines[9]).toBe('')
  })

  it('refuses a file without the table rather than losing a run silently', () => {
    expect(() => updateGoalTable({ markdown: '# Benchmarks\n', rows, run: run({}) })).toThrow(/no goal table/)
  })

  it('BENCHMARKS.md holds every goal row once, in the order the bench writes them', () => {
    const file = readFileSync(path.resolve(import.meta.dirname, '../../BENCHMARKS.md'), 'utf8')
    const keyed = [...file.matchAll(/<!-- goal:([a-z0-9-]+) -->/g)].map((match) => match[1])
    expect(keyed).toEqual(goalRows.map((row) => row.id))
  })
})
