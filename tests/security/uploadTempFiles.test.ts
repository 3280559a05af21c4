import { readdir, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { sweepUploadTemp } from '../../cms/lib/uploadTempSweep.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Payload streams every file part of a multipart POST/PATCH to the upload temp folder before
 * any access check. Through the kitchen's own /api route handlers (the guard, then Payload, on
 * real Postgres): file parts sent anonymously to routes that take no upload are refused with a
 * JSON 4xx and leave nothing in the folder; an editor's multipart save (what the admin sends)
 * and an editor's media upload still work, and leave nothing behind either.
 */

/** The upload temp folder of this test alone: set before cms/paths.ts is imported. */
const uploadTemp = vi.hoisted(() => {
  const fs = process.getBuiltinModule('node:fs')
  const os = process.getBuiltinModule('node:os')
  const path = process.getBuiltinModule('node:path')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hongyan-upload-temp-test-'))
  process.env.HONGYAN_UPLOAD_TEMP_DIR = dir
  return dir
})

const editor = { email: 'uploads@hongyan.test', password: 'a-long-test-password' }
let kitchen: TestKitchen
let token = ''
let sectionId: number
let jpeg: Buffer

beforeAll(async () => {
  kitchen = await startTestKitchen()
  await kitchen.payload.create({
    collection: collectionSlugs.users,
    data: { ...editor, name: '上传编辑', role: 'editor' },
  })
  token = (await kitchen.payload.login({ collection: collectionSlugs.users, data: editor })).token ?? ''
  sectionId = (
    await kitchen.payload.create({ collection: collectionSlugs.sections, data: { name: '要闻', order: 1 } })
  ).id
  jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a1c14' } })
    .jpeg()
    .toBuffer()
}, 120_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

const tempFiles = async () => (await readdir(uploadTemp)).filter((name) => !name.startsWith('.'))

function form({ files, payload }: { files: { field: string; bytes: Uint8Array }[]; payload?: object }) {
  const body = new FormData()
  for (const { field, bytes } of files)
    body.append(field, new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), `${field}.jpg`)
  if (payload) body.append('_payload', JSON.stringify(payload))
  return body
}

function send({
  method,
  slug,
  body,
  auth,
}: {
  method: 'POST' | 'PATCH'
  slug: string[]
  body: FormData
  auth: boolean
}): Promise<Response> {
  return kitchen.api.rest[method](
    new Request(`http://localhost/api/${slug.join('/')}`, {
      method,
      body,
      headers: auth ? { authorization: `JWT ${token}` } : {},
    }),
    { params: Promise.resolve({ slug }) },
  )
}

const megabytes = (n: number) => new Uint8Array(n * 1024 * 1024).fill(0x41)

describe('file parts where no upload is taken', () => {
  it.each([
    ['/api/stories', ['stories']],
    ['/api/users/login', ['users', 'login']],
  ])('an anonymous multipart POST with file parts to %s gets a 415 and leaves no file', async (_, slug) => {
    const body = form({
      files: [0, 1, 2].map((i) => ({ field: `file${i}`, bytes: megabytes(1) })),
      payload: { title: '垃圾', email: 'x@y.z', password: 'p' },
    })
    const response = await send({ method: 'POST', slug, body, auth: false })
    expect(response.status).toBe(415)
    expect(response.headers.get('content-type')).toContain('application/json')
    const refusal = (await response.json()) as { error: string; reason: string }
    expect(refusal.error).toBe('unsupported_media_type')
    expect(refusal.reason).toContain('media library')
    expect(await tempFiles()).toEqual([])
  })

  it('large file parts are refused with a 413 before anything is written', async () => {
    const body = form({ files: [0, 1].map((i) => ({ field: `file${i}`, bytes: megabytes(10) })) })
    const response = await send({ method: 'POST', slug: ['stories'], body, auth: false })
    expect(response.status).toBe(413)
    expect(((await response.json()) as { error: string }).error).toBe('body_too_large')
    expect(await tempFiles()).toEqual([])
  })

  it("an editor's multipart save without a file (what the admin sends) still creates the story", async () => {
    const body = form({ files: [], payload: { title: '表单保存的稿件', section: sectionId } })
    const response = await send({ method: 'POST', slug: ['stories'], body, auth: true })
    expect(response.status).toBe(201)
    expect(await tempFiles()).toEqual([])
  })
})

describe('the media library', () => {
  it("an editor's upload is stored and its temp file removed", async () => {
    const body = form({ files: [{ field: 'file', bytes: jpeg }], payload: { alt: '车间' } })
    const response = await send({ method: 'POST', slug: ['media'], body, auth: true })
    expect(response.status).toBe(201)
    const { doc } = (await response.json()) as { doc: { filename: string } }
    expect(doc.filename).toMatch(/\.jpg$/)
    expect(await tempFiles()).toEqual([])
  })

  it('an anonymous upload is refused and leaves no file', async () => {
    const body = form({ files: [{ field: 'file', bytes: jpeg }], payload: { alt: '匿名' } })
    const response = await send({ method: 'POST', slug: ['media'], body, auth: false })
    expect([401, 403]).toContain(response.status)
    expect(await tempFiles()).toEqual([])
  })

  it('a second file part fails the parse, and what was written is removed', async () => {
    const body = form({
      files: [
        { field: 'file', bytes: jpeg },
        { field: 'extra', bytes: megabytes(2) },
      ],
      payload: { alt: '两个文件' },
    })
    const response = await send({ method: 'POST', slug: ['media'], body, auth: true })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    expect(await tempFiles()).toEqual([])
  })
})

describe('the sweep of the temp folder', () => {
  it('removes files an hour old and keeps newer ones', async () => {
    const old = path.join(uploadTemp, 'tmp-old')
    const fresh = path.join(uploadTemp, 'tmp-fresh')
    await writeFile(old, 'left by a killed kitchen')
    await writeFile(fresh, 'an upload under way')
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000)
    await utimes(old, twoHoursAgo, twoHoursAgo)
    expect(await sweepUploadTemp({ payload: kitchen.payload, uploadTempDir: uploadTemp })).toEqual([
      'tmp-old',
    ])
    expect(await tempFiles()).toEqual(['tmp-fresh'])
  })
})
