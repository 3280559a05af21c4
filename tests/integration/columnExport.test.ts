import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { unzipSync } from 'fflate'
import mammoth from 'mammoth'
import type { Payload } from 'payload'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { projectRoot } from '../../cms/paths.ts'
import type { ColumnIssue, User } from '../../cms/payload-types.ts'
import { exportColumnIssue, issueDay } from '../../cms/publishing/print/exportColumnIssue.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { createStaff } from '../helpers/staff.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let payload: Payload
let issue: ColumnIssue
let outDir: string
let editor: User
let editorToken = ''
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', preserveOrder: false })

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  await seedDemoContent({ payload, now: new Date('2026-11-20T02:00:00Z'), adminPassword: 'demo-password-1' })
  const staff = await createStaff({ payload, domain: 'column.test', roles: ['editor'] })
  editor = staff.users.editor
  editorToken = staff.tokens.editor
  const issues = await payload.find({
    collection: collectionSlugs.columnIssues,
    depth: 0,
    context: { skipFit: true },
  })
  issue = issues.docs[0] as ColumnIssue
  outDir = await mkdtemp(path.join(tmpdir(), 'hongyan-print-'))
}, 120_000)

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true })
  await kitchen?.cleanup()
})

/** Counts copy independently of the plate: by Unicode class, Latin runs by regex. */
function independentCount(text: string): number {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length
  const punctuation = (text.match(/[，。、；：？！“”‘’（）《》【】…—·「」]/g) ?? []).length
  const latin = (text.match(/[A-Za-z0-9.%+\-_/:@&'#]+/g) ?? []).reduce(
    (sum, run) => sum + Math.ceil(run.length / 2),
    0,
  )
  return han + punctuation + latin
}

describe('planning an issue', () => {
  it('seeds 劳动者之窗 with one planned issue, and shows its fit per slot and in all', async () => {
    expect(issue.slots).toHaveLength(3)
    const read = await payload.findByID({
      collection: collectionSlugs.columnIssues,
      id: issue.id,
      overrideAccess: false,
      user: editor,
    })
    expect(read.fitSummary).toMatch(/^正文 \d+ \/ 9240 字，余 \d+ 字（3 篇）$/)
    for (const slot of read.slots ?? []) expect(slot.fit).toMatch(/^正文 \d+ \/ 3080 字，余 \d+ 字$/)
  })

  it('refuses a story not approved for print, with a message on the slot', async () => {
    const draft = (
      await payload.find({
        collection: collectionSlugs.stories,
        where: { stage: { equals: 'draft' } },
        draft: true,
        limit: 1,
      })
    ).docs[0]
    const error = await payload
      .update({
        collection: collectionSlugs.columnIssues,
        id: issue.id,
        data: {
          slots: [...(issue.slots ?? []).map(({ story }) => ({ story })), { story: draft?.id as number }],
        },
        overrideAccess: false,
        user: editor,
      })
      .catch(
        (err: unknown) => err as { status?: number; data?: { errors: { path: string; message: string }[] } },
      )
    expect(error).toMatchObject({ status: 400 })
    expect((error as { data?: unknown }).data).toMatchObject({
      errors: [{ path: 'slots.3.story', message: expect.stringContaining('尚未审定或已撤稿，不能上版') }],
    })
  })
})

describe('the print package', () => {
  it('holds ICML, NITF and text per story, the DOCX, print images and a manifest', async () => {
    const result = await exportColumnIssue({ payload, issue: issue.id, outDir, mediaDir: kitchen.mediaDir })
    expect(path.basename(result.dir)).toBe(`laodongzhe-zhichuang-${issueDay(issue.issueDate)}`)
    const slugs = result.fit.slots.map(
      (slot) => `${String(slot.position).padStart(2, '0')}-${slot.story.plate.slug}`,
    )
    for (const base of slugs) {
      expect(result.files).toEqual(
        expect.arrayContaining([
          `${base}.icml`,
          `${base}.nitf.xml`,
          `${base}.txt`,
          `images/${base}-ti-tu.jpg`,
          `images/${base}-ti-tu.txt`,
        ]),
      )
    }
    expect(result.files).toContain(`laodongzhe-zhichuang-${issueDay(issue.issueDate)}.docx`)
    expect(result.files).toContain('manifest.json')
    const leftovers = (await import('node:fs/promises')).readdir(outDir)
    expect((await leftovers).filter((name) => name.startsWith('.'))).toEqual([])
  })

  it('writes ICML that InDesign can place: InCopy instructions and the house paragraph styles', async () => {
    const { dir, fit } = await exportColumnIssue({
      payload,
      issue: issue.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    const first = fit.slots[0]
    const icml = await readFile(path.join(dir, `01-${first?.story.plate.slug}.icml`), 'utf8')
    expect(icml).toContain('<?aid style="50" type="document"')
    expect(icml).toContain('<?aid SnippetType="InCopyInterchange"?>')
    const document = parser.parse(icml).Document
    const ranges = [document.Story.ParagraphStyleRange].flat() as { '@AppliedParagraphStyle': string }[]
    const styles = new Set(ranges.map((range) => range['@AppliedParagraphStyle']))
    for (const style of ['肩题', '主题', '副题', '作者', '导语', '正文', '小标题', '图说']) {
      expect(styles).toContain(`ParagraphStyle/${style}`)
    }
    // The slot's print-only headline, not the web's.
    expect(icml).toContain('<Content>陈海生：焊缝里的“免检”功夫</Content>')
    expect(icml).toContain('早上七点，白沙港区的江风还带着凉意')
  })

  it('writes NITF with hedline, byline, abstract, body, release date and rights', async () => {
    const { dir, fit } = await exportColumnIssue({
      payload,
      issue: issue.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    const slot = fit.slots[1]
    const nitf = parser.parse(
      await readFile(path.join(dir, `02-${slot?.story.plate.slug}.nitf.xml`), 'utf8'),
    ).nitf
    expect(nitf['@version']).toBe('-//IPTC//DTD NITF 3.6//EN')
    expect(nitf.head.docdata['doc-id']['@id-string']).toBe(slot?.story.plate.guid)
    expect(nitf.head.docdata['date.release']['@norm']).toMatch(/^\d{8}T\d{6}\+0800$/)
    expect(nitf.head.docdata['doc.copyright']['@holder']).toBe('江州市总工会融媒体中心')
    expect(nitf.body['body.head'].hedline.hl1).toBe(slot?.story.title)
    expect([nitf.body['body.content'].p].flat().length).toBeGreaterThan(3)
  })

  it('counts each story as an independent count does, in the text header and the manifest', async () => {
    const { dir, fit } = await exportColumnIssue({
      payload,
      issue: issue.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))
    for (const slot of fit.slots) {
      const text = await readFile(
        path.join(dir, `${String(slot.position).padStart(2, '0')}-${slot.story.plate.slug}.txt`),
        'utf8',
      )
      const bodyText = slot.story.plate.bodyText
      expect(slot.story.counts.running).toBe(independentCount(bodyText))
      expect(text).toContain(`# 正文 ${independentCount(bodyText)} 字`)
      expect(manifest.stories[slot.position - 1]).toMatchObject({
        id: slot.story.plate.id,
        version: slot.story.plate.version,
        counts: { running: independentCount(bodyText) },
      })
    }
  })

  it('writes a DOCX that reads back, in Word’s terms, as the plate’s text', async () => {
    const { dir, fit } = await exportColumnIssue({
      payload,
      issue: issue.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    const { value } = await mammoth.extractRawText({ path: path.join(dir, `${path.basename(dir)}.docx`) })
    let at = 0
    for (const slot of fit.slots) {
      for (const paragraph of slot.story.plate.bodyText.split('\n\n')) {
        const found = value.indexOf(paragraph, at)
        expect({ paragraph, found: found >= 0 }).toEqual({ paragraph, found: true })
        at = found + paragraph.length
      }
    }
  })

  it('makes print images at the column width, 300 dpi, grayscale or CMYK as configured', async () => {
    const { dir, fit } = await exportColumnIssue({
      payload,
      issue: issue.id,
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    const image = path.join(dir, 'images', `01-${fit.slots[0]?.story.plate.slug}-ti-tu.jpg`)
    const gray = await sharp(image).metadata()
    expect({ format: gray.format, width: gray.width, density: gray.density, space: gray.space }).toEqual({
      format: 'jpeg',
      width: Math.round((80 / 25.4) * 300),
      density: 300,
      space: 'b-w',
    })
    await payload.update({
      collection: collectionSlugs.columns,
      id: fit.column.id,
      data: { geometry: { ...fit.column.geometry, colourMode: 'cmyk', imageWidthMm: 60 } },
    })
    const again = await exportColumnIssue({ payload, issue: issue.id, outDir, mediaDir: kitchen.mediaDir })
    const cmyk = await sharp(
      path.join(again.dir, 'images', `01-${fit.slots[0]?.story.plate.slug}-ti-tu.jpg`),
    ).metadata()
    expect({ width: cmyk.width, space: cmyk.space, density: cmyk.density }).toEqual({
      width: Math.round((60 / 25.4) * 300),
      space: 'cmyk',
      density: 300,
    })
    await payload.update({
      collection: collectionSlugs.columns,
      id: fit.column.id,
      data: { geometry: { ...fit.column.geometry } },
    })
  })

  it('is the same, byte for byte, when exported again', async () => {
    const first = await exportColumnIssue({ payload, issue: issue.id, outDir, mediaDir: kitchen.mediaDir })
    const manifest = await readFile(path.join(first.dir, 'manifest.json'), 'utf8')
    const second = await exportColumnIssue({
      payload,
      issue: issueDay(issue.issueDate),
      outDir,
      mediaDir: kitchen.mediaDir,
    })
    expect(await readFile(path.join(second.dir, 'manifest.json'), 'utf8')).toBe(manifest)
  })
})

describe('refusals', () => {
  it('refuses an over-budget issue unless forced, and records the forced overflow', async () => {
    const slots = (issue.slots ?? []).map((slot, index) => (index === 0 ? { ...slot, budget: 100 } : slot))
    await payload.update({ collection: collectionSlugs.columnIssues, id: issue.id, data: { slots } })
    await expect(
      exportColumnIssue({ payload, issue: issue.id, outDir, mediaDir: kitchen.mediaDir }),
    ).rejects.toThrow(/over budget \(slot 1 by \d+\)/)
    const forced = await exportColumnIssue({
      payload,
      issue: issue.id,
      outDir,
      force: true,
      mediaDir: kitchen.mediaDir,
    })
    expect(forced.forcedOverflow).toBeGreaterThan(0)
    const manifest = JSON.parse(await readFile(path.join(forced.dir, 'manifest.json'), 'utf8'))
    expect(manifest.forced).toBe(true)
    const recorded = await payload.findByID({
      collection: collectionSlugs.columnIssues,
      id: issue.id,
      context: { skipFit: true },
    })
    expect(recorded.exports?.at(-1)?.overflow).toBe(forced.forcedOverflow)
    await payload.update({
      collection: collectionSlugs.columnIssues,
      id: issue.id,
      data: { slots: issue.slots },
    })
  })

  it('refuses an issue with a withdrawn story, an unknown issue, and says so in one line from the CLI', async () => {
    const storyId = (issue.slots?.[2]?.story as number) ?? 0
    await payload.update({
      collection: collectionSlugs.stories,
      id: storyId,
      data: { stage: 'withdrawn', withdrawnReason: '测试', _status: 'published' },
      context: { isSeed: true },
    })
    await expect(
      exportColumnIssue({ payload, issue: issue.id, outDir, mediaDir: kitchen.mediaDir }),
    ).rejects.toThrow(/slot 3: .* was withdrawn/)
    await expect(
      exportColumnIssue({ payload, issue: 999_999, outDir, mediaDir: kitchen.mediaDir }),
    ).rejects.toThrow('no column issue 999999')
    const cli = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/exportColumn.ts', '--issue', String(issue.id), '--out', outDir],
      {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: kitchen.databaseUrl, HONGYAN_MEDIA_DIR: kitchen.mediaDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    cli.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => cli.once('exit', resolve))
    expect(code).toBe(1)
    const lines = stderr
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('hongyan:'))
    expect(lines).toEqual([
      expect.stringMatching(/^hongyan: slot 3: “.+” was withdrawn and cannot be printed$/),
    ])
  }, 60_000)
})

describe('the package download', () => {
  it('is a zip for editors, and a 401 with a reason for anyone else', async () => {
    const fresh = await payload.create({
      collection: collectionSlugs.columnIssues,
      data: {
        title: '测试期',
        column: issue.column,
        issueDate: '2027-01-01T00:00:00.000+08:00',
        slots: (issue.slots ?? []).slice(0, 2).map(({ story }) => ({ story })),
      },
      context: { skipFit: true },
    })
    const get = (auth?: string) =>
      kitchen.api.rest.GET(
        new Request(`http://kitchen.test/api/column-issues/${fresh.id}/package`, {
          headers: auth ? { authorization: auth } : {},
        }),
        { params: Promise.resolve({ slug: ['column-issues', String(fresh.id), 'package'] }) },
      )
    const response = await get(`JWT ${editorToken}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/zip')
    const files = Object.keys(unzipSync(new Uint8Array(await response.arrayBuffer())))
    expect(files).toContain('laodongzhe-zhichuang-2027-01-01/manifest.json')
    const anonymous = await get()
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toEqual({
      error: 'unauthorized',
      reason: 'only editors export the print column',
      reasonZh: '只有编辑可以导出印刷栏目',
    })
  })
})
