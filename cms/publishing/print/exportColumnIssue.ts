import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Payload } from 'payload'
import { buildIssueDocx } from '../../channels/print/docx.ts'
import { buildIcml } from '../../channels/print/icml.ts'
import { buildNitf } from '../../channels/print/nitf.ts'
import { buildPlainText } from '../../channels/print/text.ts'
import { writePackageFolder } from '../../lib/files/packageFolder.ts'
import { hashFiles } from '../../lib/manifest.ts'
import { mediaDir as defaultMediaDir } from '../../paths.ts'
import type { ColumnIssue } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { DEFAULT_TIME_ZONE } from '../../workflow/zonedTime.ts'
import { ColumnIssueError, fitIssue, type IssueFit } from './columnFit.ts'
import { findColumnIssue } from './findColumnIssue.ts'
import { printImage } from './printImage.ts'

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
  const issue = await findColumnIssue({ payload, ref })
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
  const forcedOverflow = overSlots.length ? overSlots.reduce((sum, slot) => sum + slot.over, 0) : null
  const overflow = overSlots.map((slot) => ({ slot: slot.position, over: slot.over }))
  let files: string[] = []
  const dir = await writePackageFolder({
    outDir,
    name,
    write: async (work) => {
      const contents = await packageFiles({ payload, issue, fit, issueDate, name, mediaDir })
      for (const [file, content] of Object.entries(contents)) {
        await mkdir(path.dirname(path.join(work, file)), { recursive: true })
        await writeFile(path.join(work, file), content)
      }
      const manifest = {
        column: { name: fit.column.name, newspaper: fit.column.newspaper, slug: fit.column.slug },
        issue: { id: issue.id, title: issue.title, date: issueDate },
        counting:
          '汉字 and full-width punctuation 1 each; runs of half-width letters/digits half a cell each, rounded up per run; 正文 = body + 小标题',
        forced: forcedOverflow !== null,
        ...(forcedOverflow !== null ? { overflow } : {}),
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
        files: await hashFiles({ dir: work }),
      }
      await writeFile(path.join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
      files = [...Object.keys(contents), 'manifest.json'].sort()
    },
  })
  if (forcedOverflow !== null)
    await recordForcedExport({ payload, issue, overflow: forcedOverflow, detail: overflow })
  return { dir, issueDate, fit, files, forcedOverflow }
}

/** The issue's day in Beijing, `2026-12-01`: names the package. */
export function issueDay(iso: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: DEFAULT_TIME_ZONE }).format(new Date(iso))
}

/** Every file of the package but its manifest, by its path in the package. */
async function packageFiles({
  payload,
  issue,
  fit,
  issueDate,
  name,
  mediaDir,
}: {
  payload: Payload
  issue: ColumnIssue
  fit: IssueFit
  issueDate: string
  name: string
  mediaDir: string
}): Promise<Record<string, Uint8Array | string>> {
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
  return files
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
