import { stat } from 'node:fs/promises'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectionSlugs } from '../../cms/slugs.ts'
import { noisyJpeg } from '../../scripts/lib/noisyJpeg.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let token: string

/** A photograph-like JPEG: noise defeats compression, as a real 3 MP photo would. */
function realJpeg({ width, height }: { width: number; height: number }): Promise<Buffer> {
  return noisyJpeg({ width, height, sigma: 40, quality: 85 })
}

/** Two flat colours: `first` on the left (or top) half, `second` on the other. */
async function halves({
  width,
  height,
  first,
  second,
  split,
}: {
  width: number
  height: number
  first: string
  second: string
  split: 'left-right' | 'top-bottom'
}): Promise<Sharp> {
  const half =
    split === 'left-right'
      ? { width: width / 2, height, left: width / 2, top: 0 }
      : { width, height: height / 2, left: 0, top: height / 2 }
  const other = await sharp({
    create: { width: half.width, height: half.height, channels: 3, background: second },
  })
    .png()
    .toBuffer()
  return sharp({ create: { width, height, channels: 3, background: first } }).composite([
    { input: other, left: half.left, top: half.top },
  ])
}

/** The colour at (x, y) of a rendition on disk, as 'red', 'blue' or 'other'. */
async function colourAt({ filename, x, y }: { filename: string; x: number; y: number }): Promise<string> {
  const { data, info } = await sharp(path.join(kitchen.mediaDir, filename))
    .raw()
    .toBuffer({ resolveWithObject: true })
  const at = (y * info.width + x) * info.channels
  const [r = 0, g = 0, b = 0] = [data[at], data[at + 1], data[at + 2]]
  if (r > 180 && g < 70 && b < 70) return 'red'
  if (b > 180 && r < 70 && g < 70) return 'blue'
  return `other (${r}, ${g}, ${b})`
}

type SizeData = {
  filename: string
  width: number
  height: number
  mimeType: string
  filesize: number
  url: string
}
type MediaDoc = { id: number; filename: string; sizes: Record<string, SizeData> }

async function uploadOverRest({
  bytes,
  filename,
  type,
  alt = '车间里的焊工',
  data = {},
}: {
  bytes: Buffer
  filename: string
  type: string
  alt?: string
  data?: Record<string, unknown>
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename)
  form.append('_payload', JSON.stringify({ alt, ...data }))
  const response = await kitchen.api.rest.POST(
    new Request('http://localhost/api/media', {
      method: 'POST',
      headers: { authorization: `JWT ${token}` },
      body: form,
    }),
    { params: Promise.resolve({ slug: ['media'] }) },
  )
  const text = await response.text()
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : { text } }
}

beforeAll(async () => {
  kitchen = await startTestKitchen()
  // The first account always becomes an admin; the photo desk is the second, an editor.
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { email: 'admin@hongyan.test', password: 'a-long-test-password', name: '管理员', role: 'admin' },
  })
  const credentials = { email: 'photo-desk@hongyan.test', password: 'a-long-test-password' }
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { ...credentials, name: '图片编辑', role: 'editor' },
  })
  const login = await kitchen.payload.login({ collection: collectionSlugs.users, data: credentials })
  token = login.token ?? ''
})

afterAll(async () => {
  await kitchen?.cleanup()
})

describe('image uploads', () => {
  it('makes every rendition, at the right size and in the right format', async () => {
    const original = await realJpeg({ width: 2400, height: 1600 })
    const { status, body } = await uploadOverRest({
      bytes: original,
      filename: '焊工.jpg',
      type: 'image/jpeg',
    })
    expect(status).toBe(201)
    const doc = body.doc as {
      id: number
      sizes: Record<string, { filename: string; width: number; height: number }>
    }
    const expected = {
      thumbnail: { width: 320, height: 213, format: 'webp' },
      card: { width: 768, height: 512, format: 'webp' },
      hero: { width: 1600, height: 1067, format: 'webp' },
      heroAvif: { width: 1600, height: 1067, format: 'heif' },
      og: { width: 1200, height: 630, format: 'webp' },
    }
    for (const [name, want] of Object.entries(expected)) {
      const size = doc.sizes[name]
      expect(size, name).toBeDefined()
      const file = await sharp(path.join(kitchen.mediaDir, size?.filename ?? '')).metadata()
      expect({ width: file.width, height: file.height, format: file.format }, name).toEqual(want)
      if (name === 'heroAvif') expect(file.compression).toBe('av1')
    }
    await kitchen.payload.delete({ collection: collectionSlugs.media, id: doc.id })
  })

  it('makes every rendition of a 12 MP photo, with the sizes data Payload makes when it remakes them', async () => {
    const { status, body } = await uploadOverRest({
      bytes: await realJpeg({ width: 4000, height: 3000 }),
      filename: 'twelve-mp.jpg',
      type: 'image/jpeg',
    })
    expect(status).toBe(201)
    const doc = body.doc as MediaDoc
    const stem = doc.filename.replace(/\.jpg$/, '')
    const expected = {
      thumbnail: { width: 320, height: 240, mimeType: 'image/webp', ext: 'webp' },
      card: { width: 768, height: 576, mimeType: 'image/webp', ext: 'webp' },
      hero: { width: 1600, height: 1200, mimeType: 'image/webp', ext: 'webp' },
      heroAvif: { width: 1600, height: 1200, mimeType: 'image/avif', ext: 'avif' },
      og: { width: 1200, height: 630, mimeType: 'image/webp', ext: 'webp' },
    }
    for (const [name, { ext, ...want }] of Object.entries(expected)) {
      const size = doc.sizes[name] as SizeData
      const filename = `${stem}-${want.width}x${want.height}.${ext}`
      expect(size, name).toMatchObject({ ...want, filename, url: `/api/media/file/${filename}` })
      const file = path.join(kitchen.mediaDir, filename)
      expect(size.filesize, name).toBe((await stat(file)).size)
      const metadata = await sharp(file).metadata()
      expect({ width: metadata.width, height: metadata.height }, name).toEqual({
        width: want.width,
        height: want.height,
      })
    }
    // A new focal point has Payload remake every size itself, from the original: the same files.
    const response = await kitchen.api.rest.PATCH(
      new Request(
        `http://localhost/api/media/${doc.id}?uploadEdits[focalPoint][x]=30&uploadEdits[focalPoint][y]=70`,
        {
          method: 'PATCH',
          headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ alt: '重新对焦' }),
        },
      ),
      { params: Promise.resolve({ slug: ['media', String(doc.id)] }) },
    )
    expect(response.status).toBe(200)
    const remade = ((await response.json()) as { doc: MediaDoc & { focalX: number } }).doc
    expect(remade.focalX).toBe(30)
    const described = (sizes: Record<string, SizeData>) =>
      Object.fromEntries(
        Object.entries(sizes).map(([name, { filename, width, height, mimeType, url }]) => [
          name,
          { filename, width, height, mimeType, url },
        ]),
      )
    expect(described(remade.sizes)).toEqual(described(doc.sizes))
    await kitchen.payload.delete({ collection: collectionSlugs.media, id: doc.id })
  })

  it('turns a photo upright by its EXIF orientation in every rendition', async () => {
    // Stored 3000 × 2000 with red on the left; EXIF orientation 6 shows it turned 90° clockwise:
    // 2000 × 3000, red on top.
    const stored = await halves({
      width: 3000,
      height: 2000,
      first: '#e00000',
      second: '#0000e0',
      split: 'left-right',
    })
    const bytes = await stored.jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer()
    const { status, body } = await uploadOverRest({ bytes, filename: 'portrait.jpg', type: 'image/jpeg' })
    expect(status).toBe(201)
    const doc = body.doc as MediaDoc
    const expected = {
      thumbnail: { width: 320, height: 480 },
      card: { width: 768, height: 1152 },
      hero: { width: 1600, height: 2400 },
      heroAvif: { width: 1600, height: 2400 },
      og: { width: 1200, height: 630 },
    }
    for (const [name, want] of Object.entries(expected)) {
      const size = doc.sizes[name] as SizeData
      expect({ width: size.width, height: size.height }, name).toEqual(want)
      const top = await colourAt({ filename: size.filename, x: Math.floor(want.width / 2), y: 10 })
      const bottom = await colourAt({
        filename: size.filename,
        x: Math.floor(want.width / 2),
        y: want.height - 10,
      })
      expect({ top, bottom }, name).toEqual({ top: 'red', bottom: 'blue' })
    }
    await kitchen.payload.delete({ collection: collectionSlugs.media, id: doc.id })
  })

  it('crops the social card around the focal point', async () => {
    // 2400 × 1800, red above blue: the 1200 × 630 card is cut from it scaled to 1200 × 900.
    const bytes = await (
      await halves({ width: 2400, height: 1800, first: '#e00000', second: '#0000e0', split: 'top-bottom' })
    )
      .jpeg({ quality: 90 })
      .toBuffer()
    const cardAt = async (focalY: number) => {
      const { status, body } = await uploadOverRest({
        bytes,
        filename: 'focal.jpg',
        type: 'image/jpeg',
        data: { focalX: 50, focalY },
      })
      expect(status).toBe(201)
      const doc = body.doc as MediaDoc & { focalY: number }
      expect(doc.focalY).toBe(focalY)
      // Focus near the top: rows 0–629 (red to 449); near the bottom: rows 270–899 (red to 179).
      const colour = await colourAt({ filename: doc.sizes.og?.filename ?? '', x: 600, y: 300 })
      await kitchen.payload.delete({ collection: collectionSlugs.media, id: doc.id })
      return colour
    }
    expect(await cardAt(5)).toBe('red')
    expect(await cardAt(95)).toBe('blue')
  })

  it('refuses a PDF sent as an image with a 400', async () => {
    const pdf = Buffer.from(
      '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    )
    const { status, body } = await uploadOverRest({ bytes: pdf, filename: 'report.jpg', type: 'image/jpeg' })
    expect(status).toBe(400)
    expect(JSON.stringify(body)).not.toContain('stack')
  })

  it('refuses a text file renamed to .png with a 400', async () => {
    const text = Buffer.from('这不是图片，只是一段文字。\n'.repeat(50))
    const { status } = await uploadOverRest({ bytes: text, filename: 'photo.png', type: 'image/png' })
    expect(status).toBe(400)
  })

  it('answers 413 for a file over 25 MB', async () => {
    const huge = Buffer.concat([await realJpeg({ width: 64, height: 64 }), Buffer.alloc(26 * 1024 * 1024)])
    const { status } = await uploadOverRest({ bytes: huge, filename: 'huge.jpg', type: 'image/jpeg' })
    expect(status).toBe(413)
  })

  it('requires alt text, with the error on that field', async () => {
    const { status, body } = await uploadOverRest({
      bytes: await realJpeg({ width: 800, height: 600 }),
      filename: 'no-alt.jpg',
      type: 'image/jpeg',
      alt: '',
    })
    expect(status).toBe(400)
    const errors = (body.errors as { data?: { errors?: { path: string }[] } }[])[0]?.data?.errors ?? []
    expect(errors.map((error) => error.path)).toEqual(['alt'])
  })

  it('keeps no record of refused uploads', async () => {
    const { totalDocs } = await kitchen.payload.count({ collection: collectionSlugs.media })
    expect(totalDocs).toBe(0)
  })
})
