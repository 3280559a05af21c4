import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectionSlugs } from '../../cms/collections/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let token: string

/** A photograph-like JPEG: noise defeats compression, as a real 3 MP photo would. */
async function realJpeg({ width, height }: { width: number; height: number }): Promise<Buffer> {
  return sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg({ quality: 85 })
    .toBuffer()
}

async function uploadOverRest({
  bytes,
  filename,
  type,
  alt = '车间里的焊工',
}: {
  bytes: Buffer
  filename: string
  type: string
  alt?: string
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename)
  form.append('_payload', JSON.stringify({ alt }))
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
