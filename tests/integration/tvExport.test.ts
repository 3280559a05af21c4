import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { unzipSync } from 'fflate'
import mammoth from 'mammoth'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../cms/paths.ts'
import type { Media, Story, TvEpisode, TvProgramme, User } from '../../cms/payload-types.ts'
import { airDay, exportTvEpisode } from '../../cms/publishing/tv/exportTvEpisode.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let payload: Payload
let programme: TvProgramme
let episode: TvEpisode
let outDir: string
let editor: User
let tokens: Record<'editor' | 'reporter', string>

/** The seeded episode airs on the Saturday after the seed's day: 21 November 2026 in Beijing. */
const AIR_DAY = '2026-11-21'
const PACKAGE = `laodongzhe-${AIR_DAY}`

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  await seedDemoContent({ payload, now: new Date('2026-11-20T02:00:00Z'), adminPassword: 'demo-password-1' })
  const staff = await createStaff({ payload, domain: 'tv.test', roles: ['editor', 'reporter'] })
  editor = staff.users.editor
  tokens = staff.tokens
  programme = (await payload.find({ collection: collectionSlugs.tvProgrammes, depth: 0 }))
    .docs[0] as TvProgramme
  episode = (
    await payload.find({ collection: collectionSlugs.tvEpisodes, depth: 0, context: { skipFit: true } })
  ).docs[0] as TvEpisode
  outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-tv-'))
}, 120_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

/** The seeded episode's package, exported into the test's folder. */
const exportEpisode = (ref: string | number = episode.id) =>
  exportTvEpisode({ payload, episode: ref, outDir, mediaDir: kitchen.mediaDir })

const storyOf = (id: number) =>
  payload.findByID({ collection: collectionSlugs.stories, id, depth: 0 }) as Promise<Story>

/** The words of a story body as Lexical holds them (text nodes only), read without the renderers. */
function lexicalText(node: unknown): string {
  if (!node || typeof node !== 'object') return ''
  const { type, text, children } = node as { type?: string; text?: string; children?: unknown[] }
  if (type === 'text') return text ?? ''
  return (children ?? []).map(lexicalText).join('\n')
}

/** How many times each 汉字 occurs in `text`. */
function hanCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const han of text.match(/\p{Script=Han}/gu) ?? []) counts.set(han, (counts.get(han) ?? 0) + 1)
  return counts
}

/** A subtitle line's width as a viewer sees it: a 汉字 or full-width mark one, anything half-width half. */
const screenWidth = (line: string) =>
  [...line].reduce((sum, char) => sum + ((char.codePointAt(0) ?? 0) < 0x100 ? 0.5 : 1), 0)

async function runExportCli(args: string[]) {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'scripts/exportTv.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: kitchen.databaseUrl, HONGYAN_MEDIA_DIR: kitchen.mediaDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output = { stdout: '', stderr: '' }
  cli.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  cli.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve))
  return { code, ...output }
}

describe('planning an episode', () => {
  it('seeds 劳动者 with an episode of two segments, and shows its timing per segment and in all', async () => {
    expect(airDay(episode.airDate)).toBe(AIR_DAY)
    const read = await payload.findByID({
      collection: collectionSlugs.tvEpisodes,
      id: episode.id,
      overrideAccess: false,
      user: editor,
    })
    expect(read.fitSummary).toMatch(/^时长 \d+分\d{2}秒 \/ 10分00秒，(余|超出) \d+ 秒（2 条）$/)
    for (const segment of read.segments ?? [])
      expect(segment.timing).toMatch(/^时长 \d+分\d{2}秒 \/ 5分00秒，(余|超出) \d+ 秒$/)
  })

  it('refuses a draft story and one under embargo past the air date, with the reason on the segment', async () => {
    const draft = (
      await payload.find({
        collection: collectionSlugs.stories,
        where: { stage: { equals: 'draft' } },
        draft: true,
        limit: 1,
      })
    ).docs[0] as Story
    const placed = (episode.segments ?? []).map((segment) => (segment.story as number) ?? 0)
    const embargoed = (
      await payload.find({
        collection: collectionSlugs.stories,
        where: { and: [{ stage: { equals: 'published' } }, { id: { not_in: placed } }] },
        limit: 1,
      })
    ).docs[0] as Story
    await payload.update({
      collection: collectionSlugs.stories,
      id: embargoed.id,
      data: { embargoUntil: '2026-12-31T00:00:00.000Z', _status: 'published' },
      context: { isSeed: true },
    })
    const error = await payload
      .update({
        collection: collectionSlugs.tvEpisodes,
        id: episode.id,
        data: {
          segments: [...(episode.segments ?? []), { story: draft.id }, { story: embargoed.id }],
        },
        overrideAccess: false,
        user: editor,
      })
      .catch((err: unknown) => err as { status?: number; data?: { errors: unknown[] } })
    expect(error).toMatchObject({ status: 400 })
    expect((error as { data?: unknown }).data).toMatchObject({
      errors: [
        {
          path: 'segments.2.story',
          message: `“${draft.title}”尚未审定或已撤稿，不能播出 / Not approved for broadcast, or withdrawn`,
        },
        {
          path: 'segments.3.story',
          message: expect.stringContaining('晚于播出日期 / Under embargo past the air date'),
        },
      ],
    })
  })

  it('refuses a shot on a paragraph the story does not have, on that shot', async () => {
    const segments = (episode.segments ?? []).map((segment, index) =>
      index === 1
        ? { ...segment, shots: [...(segment.shots ?? []), { paragraph: 999, visual: '空镜' }] }
        : segment,
    )
    const error = await payload
      .update({
        collection: collectionSlugs.tvEpisodes,
        id: episode.id,
        data: { segments },
        overrideAccess: false,
        user: editor,
      })
      .catch((err: unknown) => err as { status?: number; data?: { errors: unknown[] } })
    expect(error).toMatchObject({
      status: 400,
      data: {
        errors: [{ path: 'segments.1.shots.1.paragraph', message: expect.stringMatching(/没有第 999 段/) }],
      },
    })
  })
})

describe('the TV package', () => {
  it('holds the script DOCX, the teleprompter text, the SRT, the stills and a manifest', async () => {
    const result = await exportEpisode()
    expect(path.basename(result.dir)).toBe(PACKAGE)
    expect(result.files).toEqual(
      expect.arrayContaining([
        `${PACKAGE}.docx`,
        `${PACKAGE}-teleprompter.txt`,
        `${PACKAGE}.srt`,
        'manifest.json',
      ]),
    )
    for (const { position, story } of result.fit.segments) {
      // The hero first, then every image of the body.
      expect(result.files).toContain(`stills/0${position}-${story.slug}-1.jpg`)
      expect(result.files).toContain(`stills/0${position}-${story.slug}-2.jpg`)
    }
    expect((await readdir(outDir)).filter((name) => name.startsWith('.'))).toEqual([])
    expect(await readFile(path.join(result.dir, `${PACKAGE}-teleprompter.txt`), 'utf8')).toContain(
      '今天的《劳动者》，我们走进江州船舶重工的船坞',
    )
  })

  it('makes every still a 1920×1080 JPEG, cut around the image’s focal point', async () => {
    const { dir, files, fit } = await exportEpisode()
    const stills = files.filter((file) => file.startsWith('stills/'))
    expect(stills.length).toBeGreaterThanOrEqual(4)
    for (const still of stills) {
      const { format, width, height } = await sharp(path.join(dir, still)).metadata()
      expect({ still, format, width, height }).toEqual({ still, format: 'jpeg', width: 1920, height: 1080 })
    }
    // The demo photographs are 3:2: a focal point at the top keeps the sky, at the bottom the ground.
    const first = fit.segments[0] as (typeof fit.segments)[number]
    const hero = first.story.heroImage as Media
    const original = path.join(kitchen.mediaDir, hero.filename as string)
    const { width = 0, height = 0 } = await sharp(original).metadata()
    const frameHeight = Math.round((width * 9) / 16)
    const frame = (top: number) =>
      sharp(original)
        .extract({ left: 0, top, width, height: frameHeight })
        .resize(1920, 1080)
        .raw()
        .toBuffer()
    const setFocalY = (focalY: number) =>
      payload.update({
        collection: collectionSlugs.media,
        id: hero.id,
        data: { focalY },
        context: { isSeed: true },
      })
    const stillAt = async (focalY: number) => {
      await setFocalY(focalY)
      const { dir } = await exportEpisode()
      return sharp(path.join(dir, `stills/01-${first.story.slug}-1.jpg`))
        .raw()
        .toBuffer()
    }
    /** Mean difference per channel value, 0–255. */
    const distance = (a: Buffer, b: Buffer) =>
      a.reduce((sum, value, index) => sum + Math.abs(value - (b[index] ?? 0)), 0) / a.length
    const [top, bottom] = [await frame(0), await frame(height - frameHeight)]
    const [sky, ground] = [await stillAt(0), await stillAt(100)]
    await setFocalY(50)
    expect(distance(sky, top)).toBeLessThan(3)
    expect(distance(ground, bottom)).toBeLessThan(3)
    expect(distance(sky, bottom)).toBeGreaterThan(3 * distance(sky, top))
  })

  it('sets subtitles one line a cue, none wider than the programme’s line length', async () => {
    const { dir } = await exportEpisode()
    const cues = (await readFile(path.join(dir, `${PACKAGE}.srt`), 'utf8')).trim().split('\n\n')
    expect(cues.length).toBeGreaterThan(20)
    for (const [index, cue] of cues.entries()) {
      const [number, timing, ...lines] = cue.split('\n')
      expect(number).toBe(String(index + 1))
      expect(timing).toMatch(/^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$/)
      expect(lines).toHaveLength(1)
      expect({ line: lines[0], fits: screenWidth(lines[0] ?? '') <= programme.subtitleLineLength }).toEqual({
        line: lines[0],
        fits: true,
      })
    }
  })

  it('lists every file in the manifest with the checksum it has on disk', async () => {
    const { dir, files, fit } = await exportEpisode()
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))
    expect(manifest.files.map((file: { path: string }) => file.path)).toEqual(
      files.filter((file) => file !== 'manifest.json'),
    )
    for (const file of manifest.files as { path: string; sha256: string; bytes: number }[]) {
      const bytes = await readFile(path.join(dir, file.path))
      expect({
        path: file.path,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes: bytes.length,
      }).toEqual(file)
    }
    expect(manifest).toMatchObject({
      programme: { name: '劳动者', slug: 'laodongzhe', pace: 240, subtitleLineLength: 16 },
      episode: { id: episode.id, airDate: AIR_DAY },
      totals: { seconds: fit.totalSeconds, budget: 600, over: fit.totalSeconds - 600 },
    })
    for (const segment of fit.segments) {
      expect(manifest.segments[segment.position - 1]).toMatchObject({
        id: segment.story.id,
        guid: `urn:hongyan:story:${segment.story.id}`,
        version: 1,
        seconds: segment.script.totalSeconds,
        budget: 300,
        rows: segment.script.rows.length,
      })
    }
  })

  it('writes a two-column script whose DOCX holds the 画面 notes, the lead and every 汉字 of each story', async () => {
    const { dir, fit } = await exportEpisode()
    const { value } = await mammoth.extractRawText({ path: path.join(dir, `${PACKAGE}.docx`) })
    expect(value).toContain('清晨船坞全景；3号船坞分段内，陈海生半跪仰焊，弧光特写')
    expect(value).toContain('一条焊缝藏在船体里，要扛几十年的风浪。')
    expect(value).toContain('焊缝里的“免检”功夫')
    const inDocx = hanCounts(value)
    const needed = new Map<string, number>()
    for (const { story } of fit.segments) {
      for (const [han, count] of hanCounts(lexicalText((await storyOf(story.id)).body?.root)))
        needed.set(han, (needed.get(han) ?? 0) + count)
    }
    const missing = [...needed].filter(([han, count]) => (inDocx.get(han) ?? 0) < count)
    expect(needed.size).toBeGreaterThan(200)
    expect(missing).toEqual([])
  })
})

describe('over the budget', () => {
  it('exports all the same, and the manifest and the CLI say by how much', async () => {
    const segments = (episode.segments ?? []).map((segment, index) =>
      index === 0 ? { ...segment, budgetSeconds: 30 } : segment,
    )
    await payload.update({ collection: collectionSlugs.tvEpisodes, id: episode.id, data: { segments } })
    const result = await exportEpisode(AIR_DAY)
    const first = result.fit.segments[0]?.script
    expect(first?.over).toBeGreaterThan(0)
    const manifest = JSON.parse(await readFile(path.join(result.dir, 'manifest.json'), 'utf8'))
    expect(manifest.segments[0]).toMatchObject({ budget: 30, over: first?.over })
    expect(manifest).toMatchObject({ overBudget: true, totals: { over: result.fit.over } })
    const cli = await runExportCli(['--episode', AIR_DAY, '--out', outDir])
    expect(cli.code).toBe(0)
    expect(cli.stdout).toContain(`1. 焊缝里的“免检”功夫: 时长 `)
    expect(cli.stdout).toMatch(new RegExp(`/ 0分30秒，超出 ${first?.over} 秒`))
    expect(cli.stdout).toContain(`TV package: ${result.files.length} files → `)
    expect(cli.stdout).toContain(`over the budget: segment 1 by ${first?.over} s (exported all the same`)
    await payload.update({
      collection: collectionSlugs.tvEpisodes,
      id: episode.id,
      data: { segments: episode.segments },
    })
  }, 60_000)

  it('refuses an unknown episode from the CLI in one line, exit code 1', async () => {
    const cli = await runExportCli(['--episode', '999999', '--out', outDir])
    expect(cli.code).toBe(1)
    expect(
      cli.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('hongyan:')),
    ).toEqual(['hongyan: no TV episode 999999'])
  }, 60_000)
})

describe('the package download', () => {
  const get = (auth?: string, id: string | number = episode.id) =>
    kitchen.api.rest.GET(
      new Request(`http://kitchen.test/api/tv-episodes/${id}/package`, {
        headers: auth ? { authorization: auth } : {},
      }),
      { params: Promise.resolve({ slug: ['tv-episodes', String(id), 'package'] }) },
    )

  it('is a zip for editors, a 401 without a session and a 403 for a reporter', async () => {
    const response = await get(`JWT ${tokens.editor}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/zip')
    const files = Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())))
    expect(files).toEqual(
      expect.arrayContaining([
        `${PACKAGE}/manifest.json`,
        `${PACKAGE}/${PACKAGE}.docx`,
        `${PACKAGE}/${PACKAGE}.srt`,
      ]),
    )
    const anonymous = await get()
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({
      error: 'unauthorized',
      reason: 'only editors export the TV programme',
      reasonZh: '只有编辑可以导出电视节目稿',
    })
    const reporter = await get(`JWT ${tokens.reporter}`)
    expect(reporter.status).toBe(403)
    expect(await reporter.json()).toMatchObject({ error: 'forbidden' })
  })

  it('refuses an unknown episode with the reason in both languages', async () => {
    const response = await get(`JWT ${tokens.editor}`, 999_999)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      error: 'not_found',
      reason: 'no TV episode 999999',
      reasonZh: '无法导出节目稿：no TV episode 999999',
    })
  })
})
