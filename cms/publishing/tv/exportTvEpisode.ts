import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { houseRights } from '../../channels/house.ts'
import { buildEpisodeDocx } from '../../channels/tv/docx.ts'
import { buildSrt } from '../../channels/tv/srt.ts'
import { buildTeleprompterText } from '../../channels/tv/teleprompter.ts'
import { writePackageFolder } from '../../lib/files/packageFolder.ts'
import { hashFiles } from '../../lib/manifest.ts'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import type { Media, TvEpisode } from '../../payload-types.ts'
import { DEFAULT_TIME_ZONE } from '../../workflow/zonedTime.ts'
import { plateStory } from '../plate/plateStory.ts'
import { type EpisodeFit, fitEpisode, type SegmentFit, storyBlocks } from './episodeFit.ts'
import { findTvEpisode } from './findTvEpisode.ts'
import { tvStill } from './tvStill.ts'

export interface TvPackage {
  /** The finished folder, e.g. `dist/tv/laodongzhe-2026-12-12`. */
  dir: string
  /** `2026-12-12` */
  airDate: string
  fit: EpisodeFit
  files: string[]
}

/** How the package times copy, as its manifest states it. */
const COUNTING =
  '字数: 汉字 and full-width punctuation 1 each, runs of half-width letters/digits half a cell each, rounded up per run; ' +
  'seconds = 字数 × 60 / pace, rounded up, for the 口播导语 and for each row; a segment is its lead plus its rows'

/**
 * Exports one TV episode for the TV desk: the two-column script (画面 | 解说/同期声) as DOCX,
 * the teleprompter text, the subtitles as SRT, 1920×1080 stills of every story's images cut
 * around their focal points, and a manifest of stories, versions, timings and file checksums.
 * Written whole or not at all (`writePackageFolder`). An episode over its time budget is
 * still exported (the desk trims on the edit); the manifest says by how much.
 */
export async function exportTvEpisode({
  payload,
  episode: ref,
  outDir,
  mediaDir = defaultMediaDir,
}: {
  payload: Payload
  /** An episode id, or its air date (`2026-12-12`). */
  episode: string | number
  outDir: string
  mediaDir?: string
}): Promise<TvPackage> {
  const episode = await findTvEpisode({ payload, ref })
  const fit = await fitEpisode({ payload, episode })
  const airDate = airDay(episode.airDate)
  const name = `${fit.programme.slug}-${airDate}`
  let files: string[] = []
  const dir = await writePackageFolder({
    outDir,
    name,
    write: async (work) => {
      const stills = await segmentStills({ payload, fit, mediaDir })
      const contents: Record<string, Uint8Array | string> = {
        [`${name}.docx`]: await buildEpisodeDocx({
          title: episode.title,
          programme: fit.settings,
          airDate,
          scripts: fit.segments.map((segment) => segment.script),
          stamp: new Date(episode.airDate),
        }),
        [`${name}-teleprompter.txt`]: buildTeleprompterText({
          scripts: fit.segments.map((segment) => segment.script),
          programme: fit.settings,
          airDate,
        }),
        [`${name}.srt`]: buildSrt({
          scripts: fit.segments.map((segment) => segment.script),
          programme: fit.settings,
        }),
        ...Object.fromEntries(stills.flatMap((list) => list.map((still) => [still.file, still.bytes]))),
      }
      for (const [file, content] of Object.entries(contents)) {
        await mkdir(path.dirname(path.join(work, file)), { recursive: true })
        await writeFile(path.join(work, file), content)
      }
      const manifest = {
        ...episodeManifest({ episode, fit, airDate, stills }),
        files: await hashFiles({ dir: work }),
      }
      await writeFile(path.join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      files = [...Object.keys(contents), 'manifest.json'].sort()
    },
  })
  return { dir, airDate, fit, files }
}

/** The air date's day in Beijing, `2026-12-12`: names the package. */
export function airDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE }).format(new Date(iso))
}

interface Still {
  /** `stills/01-chen-haisheng-1.jpg` */
  file: string
  bytes: Buffer
  caption: string | null
  credit: string | null
}

/** Per segment, its story's hero and then its body images, in reading order, as stills. */
async function segmentStills({
  payload,
  fit,
  mediaDir,
}: {
  payload: Payload
  fit: EpisodeFit
  mediaDir: string
}): Promise<Still[][]> {
  const all: Still[][] = []
  for (const segment of fit.segments) {
    const images = storyImages({ segment })
    const base = `${String(segment.position).padStart(2, '0')}-${segment.story.slug ?? segment.story.id}`
    const stills: Still[] = []
    for (const [index, image] of images.entries()) {
      const media = typeof image.media === 'object' ? image.media : null
      stills.push({
        file: `stills/${base}-${index + 1}.jpg`,
        bytes: await tvStill({ payload, media: image.media, mediaDir }),
        caption: image.caption ?? media?.caption ?? null,
        credit: media?.credit ?? null,
      })
    }
    all.push(stills)
  }
  return all
}

function storyImages({
  segment,
}: {
  segment: SegmentFit
}): { media: Media | number; caption?: string | null }[] {
  const hero = segment.story.heroImage
  const body = storyBlocks({ story: segment.story }).flatMap((block) =>
    block.kind === 'image' && (typeof block.value === 'number' || typeof block.value === 'object')
      ? [{ media: block.value as Media | number, caption: block.caption }]
      : [],
  )
  return [...(hero ? [{ media: hero }] : []), ...body]
}

function episodeManifest({
  episode,
  fit,
  airDate,
  stills,
}: {
  episode: TvEpisode
  fit: EpisodeFit
  airDate: string
  stills: Still[][]
}) {
  return {
    programme: {
      name: fit.programme.name,
      slug: fit.programme.slug,
      station: fit.programme.station ?? null,
      pace: fit.settings.pace,
      subtitleLineLength: fit.settings.subtitleLineLength,
    },
    episode: { id: episode.id, title: episode.title, airDate },
    counting: COUNTING,
    totals: { seconds: fit.totalSeconds, budget: fit.budgetSeconds, over: fit.over },
    overBudget: fit.over > 0 || fit.segments.some((segment) => segment.script.over > 0),
    segments: fit.segments.map((segment, index) => {
      const plate = plateStory({ doc: segment.story, rights: houseRights })
      const { script } = segment
      return {
        position: segment.position,
        id: plate.id,
        guid: plate.guid,
        version: plate.version,
        title: script.title,
        storyTitle: plate.title,
        seconds: script.totalSeconds,
        budget: script.budgetSeconds,
        over: script.over,
        rows: script.rows.length,
        characters: script.lead.characters + script.rows.reduce((sum, row) => sum + row.characters, 0),
        stills: (stills[index] ?? []).map(({ file, caption, credit }) => ({ file, caption, credit })),
      }
    }),
  }
}
