import { createHash, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { rendition } from '../channels/picture.ts'
import { buildIssueDocx } from '../channels/print/docx.ts'
import { buildIcml } from '../channels/print/icml.ts'
import { buildNitf } from '../channels/print/nitf.ts'
import { buildPlainText } from '../channels/print/text.ts'
import type { PlatedImage } from '../channels/types.ts'
import { isAbandoned, ownerTag } from '../lib/workOwner.ts'
import { mediaDir as defaultMediaDir } from '../paths.ts'
import type { ColumnIssue, Media } from '../payload-types.ts'
import { collectionSlugs } from '../slugs.ts'
import { ColumnIssueError, fitIssue, type IssueFit } from './columnFit.ts'

export const PRINT_DPI = 300

export interface ColumnPackage {
  /** The finished folder, e.g. `dist/print/laodongzhe-zhichuang-2026-12-01`. */
  dir: string
  /** `2026-12-01` */
  issueDate: string
  fit: IssueFit
  files: string[]
  forcedOverflow: number | null
}

/**
 * Exports one column issue for the print desk: per story ICML, NITF and text, the whole
 * issue as DOCX, print images (300 dpi at the column's image width, grayscale or CMYK JPEG)
 * with caption files, and a manifest of stories, versions, counts and file checksums.
 * Written into a hidden temporary folder and renamed into place only when complete (what an
 * export killed mid-way left behind is cleared by the next one). An
 * over-budget issue is refused unless `force`, and a forced export is recorded on the issue.
 */
export async function exportColumnIssue({
  payload,
  issue: ref,
  outDir,
  force = false,
  mediaDir = defaultMediaDir,
}: {
  payload: Payload
  /** An issue id, or its date (`2026-12-01`). */
  issue: string | number
  outDir: string
  force?: boolean
  mediaDir?: string
}): Promise<ColumnPackage> {
  const issue = await findIssue({ payload, ref })
  const fit = await fitIssue({ payload, issue })
  const overSlots = fit.slots.filter((slot) => slot.over > 0)
  if (overSlots.length && !force) {
    const detail = overSlots.map((slot) => `slot ${slot.position} by ${slot.over}`).join(', ')
    throw new ColumnIssueError({
      message: `issue ${issue.id} is over budget (${detail}): cut the copy, or export with force`,
      status: 409,
    })
  }
  const issueDate = issueDay(issue.issueDate)
  const name = `${fit.column.slug}-${issueDate}`
  await mkdir(outDir, { recursive: true })
  await removeAbandonedExports({ outDir })
  const work = path.join(outDir, workName({ name, kind: 'partial' }))
  workInProgress.add(work)
  await mkdir(work, { recursive: true })
  try {
    const files: Record<string, Uint8Array | string> = {}
    for (const slot of fit.slots) {
      const base = `${String(slot.position).padStart(2, '0')}-${slot.story.plate.slug}`
      files[`${base}.icml`] = buildIcml({ story: slot.story, styles: fit.styles })
      files[`${base}.nitf.xml`] = buildNitf({ story: slot.story, issueDate: issue.issueDate })
      files[`${base}.txt`] = buildPlainText({
        story: slot.story,
        budget: slot.budget,
        label: `${fit.column.name} ${issueDate} 第 ${slot.position} 篇`,
      })
      const pictures = [
        ...(slot.story.plate.hero
          ? [{ image: slot.story.plate.hero, caption: slot.story.plate.hero.caption }]
          : []),
        ...slot.story.figures,
      ]
      for (const [index, picture] of pictures.entries()) {
        const imageName = `${base}-${index === 0 && slot.story.plate.hero ? 'ti-tu' : `tu-${index}`}`
        files[`images/${imageName}.jpg`] = await printImage({
          payload,
          image: picture.image,
          column: fit.column,
          mediaDir,
        })
        files[`images/${imageName}.txt`] =
          `${[picture.caption, picture.image.credit].filter(Boolean).join('\n')}\n`
      }
    }
    files[`${name}.docx`] = await buildIssueDocx({
      title: `${fit.column.name} ${issueDate}`,
      stories: fit.slots.map((slot) => slot.story),
      styles: fit.styles,
      stamp: new Date(issue.issueDate),
    })
    for (const [file, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(work, file)), { recursive: true })
      await writeFile(path.join(work, file), content)
    }
    const forcedOverflow = overSlots.length ? overSlots.reduce((sum, slot) => sum + slot.over, 0) : null
    const manifest = {
      column: { name: fit.column.name, newspaper: fit.column.newspaper, slug: fit.column.slug },
      issue: { id: issue.id, title: issue.title, date: issueDate },
      counting:
        '汉字 and full-width punctuation 1 each; runs of half-width letters/digits half a cell each, rounded up per run; 正文 = body + 小标题',
      forced: forcedOverflow !== null,
      ...(forcedOverflow !== null
        ? { overflow: overSlots.map((s) => ({ slot: s.position, over: s.over })) }
        : {}),
      totals: { running: fit.running, budget: fit.budget, over: fit.over },
      stories: fit.slots.map((slot) => ({
        slot: slot.position,
        id: slot.story.plate.id,
        uri: slot.story.plate.guid,
        version: slot.story.plate.version,
        title: slot.story.title,
        budget: slot.budget,
        counts: {
          running: slot.story.counts.running,
          body: slot.story.counts.body.total,
          subheads: slot.story.counts.subheads.total,
          headlines: slot.story.counts.headlines.total,
          captions: slot.story.counts.captions.total,
        },
      })),
      files: await checksums(work),
    }
    await writeFile(path.join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
    const finalDir = path.join(outDir, name)
    await replaceDir({ from: work, to: finalDir })
    if (forcedOverflow !== null)
      await recordForcedExport({ payload, issue, overflow: forcedOverflow, detail: manifest.overflow })
    return {
      dir: finalDir,
      issueDate,
      fit,
      files: [...Object.keys(files), 'manifest.json'].sort(),
      forcedOverflow,
    }
  } catch (err) {
    await rm(work, { recursive: true, force: true })
    throw err
  } finally {
    workInProgress.delete(work)
  }
}

/** The issue's day in Beijing, `2026-12-01`: names the package and finds an issue by date. */
export function issueDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(iso))
}

async function findIssue({ payload, ref }: { payload: Payload; ref: string | number }): Promise<ColumnIssue> {
  const text = String(ref).trim()
  if (/^\d+$/.test(text)) {
    const issue = await payload.findByID({
      collection: collectionSlugs.columnIssues,
      id: Number(text),
      depth: 0,
      overrideAccess: true,
      disableErrors: true,
      context: { skipFit: true },
    })
    if (issue) return issue
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = new Date(`${text}T00:00:00+08:00`)
    const end = new Date(start.getTime() + 86_400_000)
    const { docs } = await payload.find({
      collection: collectionSlugs.columnIssues,
      where: {
        and: [
          { issueDate: { greater_than_equal: start.toISOString() } },
          { issueDate: { less_than: end.toISOString() } },
        ],
      },
      depth: 0,
      limit: 2,
      overrideAccess: true,
      context: { skipFit: true },
    })
    if (docs.length > 1)
      throw new ColumnIssueError({
        message: `more than one issue is dated ${text}: give its id`,
        status: 409,
      })
    if (docs[0]) return docs[0]
  } else {
    throw new ColumnIssueError({
      message: `"${text}" is neither an issue id nor a date like 2026-12-01`,
      status: 400,
    })
  }
  throw new ColumnIssueError({ message: `no column issue ${text}`, status: 404 })
}

/** The largest rendition made from the original (or the original), at print width and 300 dpi. */
async function printImage({
  payload,
  image,
  column,
  mediaDir,
}: {
  payload: Payload
  image: PlatedImage
  column: IssueFit['column']
  mediaDir: string
}): Promise<Buffer> {
  const media = (await payload.findByID({
    collection: collectionSlugs.media,
    id: image.id,
    depth: 0,
    overrideAccess: true,
    disableErrors: true,
  })) as Media | null
  const filename = media?.filename ?? rendition({ image, name: 'hero' })?.filename
  const source = filename ? path.join(mediaDir, filename) : null
  if (!source || !existsSync(source)) {
    throw new ColumnIssueError({
      message: `the image file ${filename ?? `of media ${image.id}`} is missing from ${mediaDir}`,
      status: 422,
    })
  }
  const widthPx = Math.round(((column.geometry?.imageWidthMm ?? 80) / 25.4) * PRINT_DPI)
  const pipeline = sharp(source).rotate().resize({ width: widthPx, withoutEnlargement: false })
  const coloured =
    column.geometry?.colourMode === 'cmyk'
      ? pipeline.toColourspace('cmyk')
      : pipeline.grayscale().toColourspace('b-w')
  return coloured.withDensity(PRINT_DPI).jpeg({ quality: 90 }).toBuffer()
}

async function checksums(dir: string): Promise<{ path: string; bytes: number; sha256: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort()
  return Promise.all(
    files.map(async (file) => {
      const content = await readFile(path.join(dir, file))
      return { path: file, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') }
    }),
  )
}

/** Moves a finished export into place; an earlier export of the same issue is replaced whole. */
async function replaceDir({ from, to }: { from: string; to: string }) {
  const old = path.join(path.dirname(to), workName({ name: path.basename(to), kind: 'old' }))
  workInProgress.add(old)
  try {
    if (existsSync(to)) await rename(to, old)
    await rename(from, to)
    await rm(old, { recursive: true, force: true })
  } finally {
    workInProgress.delete(old)
  }
}

/**
 * A package is written into `.<name>.partial-<random>-<owner>` (hidden, named after the
 * process writing it: see `ownerTag`) and renamed into place when complete; the package it
 * replaces is moved aside to `.<name>.old-<random>-<owner>` for that moment.
 */
const WORK_NAME = /^\.(.+)\.(partial|old)-[0-9a-f]{8}(?:-([A-Za-z0-9]+-\d+))?$/

function workName({ name, kind }: { name: string; kind: 'partial' | 'old' }): string {
  return `.${name}.${kind}-${randomUUID().slice(0, 8)}-${ownerTag()}`
}

/** This process's temporary folders in use (it may run several exports at once). */
const workInProgress = new Set<string>()

/**
 * Clears what exports killed mid-way left in `outDir`: their half-written packages are
 * removed, and a package moved aside for a replacement that never arrived is put back.
 * Temporary folders of exports still running, here or in another process, are left alone.
 */
async function removeAbandonedExports({ outDir }: { outDir: string }) {
  for (const entry of await readdir(outDir)) {
    const found = entry.match(WORK_NAME)
    const dir = path.join(outDir, entry)
    if (!found || workInProgress.has(dir)) continue
    const [, name = '', kind, tag] = found
    const modifiedAt = (await stat(dir).catch(() => null))?.mtimeMs
    if (modifiedAt === undefined) continue
    if (tag !== ownerTag() && !isAbandoned({ tag, modifiedAt })) continue
    const finalDir = path.join(outDir, name)
    if (kind === 'old' && !existsSync(finalDir)) await rename(dir, finalDir)
    else await rm(dir, { recursive: true, force: true })
  }
}

async function recordForcedExport({
  payload,
  issue,
  overflow,
  detail,
}: {
  payload: Payload
  issue: ColumnIssue
  overflow: number
  detail: unknown
}) {
  await payload.update({
    collection: collectionSlugs.columnIssues,
    id: issue.id,
    data: {
      exports: [
        ...(issue.exports ?? []),
        { at: new Date().toISOString(), overflow, detail: JSON.stringify(detail) },
      ],
    },
    overrideAccess: true,
    context: { skipFit: true },
  })
}
