import { stopWithin } from '../lib/run.ts'
import { startWorkerProcess } from '../lib/workerProcess.ts'
import { type CorpusBenchOptions, corpusEnvironment } from './corpusDatabase.ts'
import { percentile } from './percentile.ts'
import type { Figure } from './report.ts'
import { lastJsonLine, runChild } from './runChild.ts'

export const SCHEDULE_PREFIX = '【基准定时】'
/** Stories scheduled per run, all for the same time. */
const STORIES_PER_RUN = 10
/** How far ahead they are scheduled, from when the last of them is approved. */
const LEAD_MS = 4_000

/**
 * Schedule firing delay: each run schedules 10 approved stories for one time 4 s ahead, as
 * the schedule endpoint does (stage `scheduled` plus a storySchedule job waiting until that
 * time), with the worker running; the delay of each is when its stage became `published`
 * minus the scheduled time. Also reported: when the worker's job started it (the schedule
 * run's `firedAt`). Each scheduled publish asks for a site build too, which the worker runs
 * on its other queue meanwhile, as in the newsroom.
 */
export async function benchSchedule({ runs, stories }: CorpusBenchOptions): Promise<Figure[]> {
  const env = await corpusEnvironment({ stories })
  const worker = await startWorkerProcess({ env })
  const delays: number[] = []
  const fired: number[] = []
  try {
    for (let run = 0; run < runs; run += 1) {
      const output = await runChild({
        script: 'scripts/bench/storyChild.ts',
        env,
        args: ['schedule', String(STORIES_PER_RUN), SCHEDULE_PREFIX, String(LEAD_MS)],
      })
      const result = lastJsonLine<{ delays: number[]; fired: number[] }>(output)
      delays.push(...result.delays)
      fired.push(...result.fired)
    }
  } finally {
    await stopWithin({ child: worker })
    await runChild({ script: 'scripts/bench/storyChild.ts', args: ['withdraw', SCHEDULE_PREFIX], env })
  }
  return [
    {
      name: `schedule delay, published − scheduled time, each story (${STORIES_PER_RUN} a run, ${stories} stories)`,
      unit: 'ms',
      samples: delays,
    },
    { name: 'schedule delay, p50', unit: 'ms', samples: [percentile(delays, 50)] },
    { name: 'schedule delay, p95', unit: 'ms', samples: [percentile(delays, 95)], goal: '≤ 5000 ms' },
    { name: 'of which: job started (firedAt − scheduled time)', unit: 'ms', samples: fired },
  ]
}
