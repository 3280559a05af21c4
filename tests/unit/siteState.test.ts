import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type BuildState, readState, writeState } from '../../cms/publishing/site/buildState.ts'
import type { StorySummary } from '../../site/planner/index.ts'

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

const person = { id: 7, name: '陈海生', slug: 'chen-hai-sheng', bio: '高级技师，全国劳动模范。' }
const summary = (id: number) =>
  ({
    id,
    title: `稿件${id}：焊花里的“大国工匠”\n第二行`,
    path: `/stories/s${id}/`,
    people: [{ ...person }],
    section: { id: 1, name: '劳模风采', slug: 'model-workers', description: null, order: 1 },
    hero: null,
    tags: ['焊工'],
    digest: `digest-${id}`,
  }) as unknown as StorySummary

describe('the site build state', () => {
  it('reads back from disk what was written, stories sharing their equal people', async () => {
    const distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-state-'))
    dirs.push(distDir)
    const build = path.join(distDir, 'site-builds', '1-abcdef12')
    const state: BuildState = {
      rendererId: 'r1',
      siteUrl: 'https://news.example.cn',
      layoutKey: 'k',
      dependencies: { media: {}, people: { 7: '2026-11-24T00:00:00.000Z' }, sections: {} },
      stories: [summary(1), summary(2), summary(3)],
      pages: { '/stories/s1/': 'a', '/': 'b' },
      files: ['rss.xml'],
    }
    await writeState({ distDir, build, state })
    // Another process's write: the state is read from the file, not from memory.
    const file = path.join(distDir, 'site-state', '1-abcdef12.json')
    await utimes(file, new Date(), new Date(Date.now() + 5000))
    const read = await readState({ distDir, build })
    expect(read).not.toBe(state)
    expect(read).toEqual(state)
    expect(read?.stories[0]?.people[0]).toBe(read?.stories[2]?.people[0])
  })

  it('treats a state cut short, or of another format, as no state (the next build renders everything)', async () => {
    const distDir = await mkdtemp(path.join(tmpdir(), 'hongyan-state-'))
    dirs.push(distDir)
    const build = path.join(distDir, 'site-builds', '2-abcdef12')
    await writeState({
      distDir,
      build,
      state: {
        rendererId: 'r1',
        siteUrl: 'https://news.example.cn',
        dependencies: { media: {}, people: {}, sections: {} },
        stories: [summary(1)],
        pages: {},
        files: [],
      },
    })
    const file = path.join(distDir, 'site-state', '2-abcdef12.json')
    await writeFile(file, '{"format":2,"rendererId":"r1"}\n{"id":1,"tit')
    expect(await readState({ distDir, build })).toBeNull()
    await writeFile(file, JSON.stringify({ rendererId: 'r1', stories: [] }))
    expect(await readState({ distDir, build })).toBeNull()
  })
})
