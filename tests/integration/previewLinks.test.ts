import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveSharedMedia, serveSharedPreview } from '../../cms/publishing/preview/sharedPreview.ts'
import { hashShareToken } from '../../cms/publishing/preview/shareLinks.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import {
  DRAFT_TITLE,
  DRAFT_WORD,
  type PreviewKitchen,
  startPreviewKitchen,
} from '../helpers/previewKitchen.ts'

const SITE_URL = 'https://news.hongyan.example.cn'

let kitchen: PreviewKitchen['kitchen']
let staff: PreviewKitchen['staff']
let otherReporter: PreviewKitchen['otherReporter']
let story: PreviewKitchen['story']
let hero: PreviewKitchen['hero']
let call: PreviewKitchen['call']

beforeAll(async () => {
  ;({ kitchen, staff, otherReporter, story, hero, call } = await startPreviewKitchen())
}, 600_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

describe('share links', () => {
  const shareTokenOf = (url: string) => url.split('/preview/')[1] ?? ''

  async function createLink({ token, hours }: { token: string; hours?: number }) {
    const response = await call({
      method: 'POST',
      path: `/api/stories/${story.id}/preview-links${hours ? `?hours=${hours}` : ''}`,
      token,
    })
    expect(response.status).toBe(201)
    return (await response.json()) as { id: number; url: string; expiresAt: string }
  }

  it('opens the web preview without a session, and keeps only the token’s hash', async () => {
    const before = Date.now()
    const link = await createLink({ token: staff.tokens.reporter })
    expect(link.url).toMatch(/^http:\/\/kitchen\.test\/preview\/[A-Za-z0-9_-]{43}$/)
    const hours = (Date.parse(link.expiresAt) - before) / 3_600_000
    expect(hours).toBeGreaterThan(23.9)
    expect(hours).toBeLessThanOrEqual(24.01)
    const token = shareTokenOf(link.url)
    const row = await kitchen.payload.findByID({ collection: collectionSlugs.previewLinks, id: link.id })
    expect(row.tokenHash).toBe(hashShareToken(token))
    expect(JSON.stringify(row)).not.toContain(token)
    const response = await serveSharedPreview({ payload: kitchen.payload, token, siteUrl: SITE_URL })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('private, no-store')
    expect(response.headers.get('x-robots-tag')).toMatch(/noindex/)
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    const html = await response.text()
    expect(html).toContain(`<h1>${DRAFT_TITLE}</h1>`)
    expect(html).toContain('预览稿，尚未发布')
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">')
    // Its images come through the link, only those of this story.
    const heroFile = String(hero.sizes?.hero?.filename)
    expect(html).toContain(`/preview/${token}/media/${encodeURIComponent(heroFile)}`)
    const image = await serveSharedMedia({ payload: kitchen.payload, token, filename: heroFile })
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/webp')
    expect(image.headers.get('cache-control')).toBe('private, no-store')
    expect(Buffer.from(await image.arrayBuffer())).toEqual(
      await readFile(path.join(kitchen.mediaDir, heroFile)),
    )
    const [other] = (
      await kitchen.payload.find({
        collection: collectionSlugs.media,
        where: { id: { not_equals: hero.id } },
      })
    ).docs
    const notShown = await serveSharedMedia({
      payload: kitchen.payload,
      token,
      filename: String(other?.filename),
    })
    expect(notShown.status).toBe(404)
  })

  it('refuses a tampered or unknown token with 404 and the reason', async () => {
    const { url } = await createLink({ token: staff.tokens.editor })
    const token = shareTokenOf(url)
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    for (const bad of [tampered, token.slice(0, 20), 'not-a-token', `${token}x`]) {
      const response = await serveSharedPreview({ payload: kitchen.payload, token: bad, siteUrl: SITE_URL })
      expect(response.status).toBe(404)
      const html = await response.text()
      expect(html).toContain('预览链接无效')
      expect(html).not.toContain(DRAFT_WORD)
      expect(response.headers.get('cache-control')).toBe('private, no-store')
    }
  })

  it('fails after its expiry with 410 and the reason; ?hours= sets it, up to a week', async () => {
    const link = await createLink({ token: staff.tokens.editor, hours: 2 })
    const token = shareTokenOf(link.url)
    const expiresAt = Date.parse(link.expiresAt)
    const open = await serveSharedPreview({
      payload: kitchen.payload,
      token,
      siteUrl: SITE_URL,
      now: new Date(expiresAt - 60_000),
    })
    expect(open.status).toBe(200)
    const expired = await serveSharedPreview({
      payload: kitchen.payload,
      token,
      siteUrl: SITE_URL,
      now: new Date(expiresAt + 1),
    })
    expect(expired.status).toBe(410)
    const html = await expired.text()
    expect(html).toContain('过期')
    expect(html).not.toContain(DRAFT_WORD)
    // A link written with a past expiry (as the clock stands) fails the same way.
    const past = await kitchen.payload.create({
      collection: collectionSlugs.previewLinks,
      data: {
        story: story.id,
        tokenHash: hashShareToken('P'.repeat(43)),
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      },
    })
    expect(past.id).toBeGreaterThan(0)
    expect(
      (await serveSharedPreview({ payload: kitchen.payload, token: 'P'.repeat(43), siteUrl: SITE_URL }))
        .status,
    ).toBe(410)
    for (const hours of ['0', '169', 'a']) {
      const refused = await call({
        method: 'POST',
        path: `/api/stories/${story.id}/preview-links?hours=${hours}`,
        token: staff.tokens.editor,
      })
      expect(refused.status).toBe(400)
    }
    const week = await createLink({ token: staff.tokens.editor, hours: 168 })
    expect(Date.parse(week.expiresAt) - Date.now()).toBeGreaterThan(167.9 * 3_600_000)
  })

  it('fails after revocation with 410 and the reason; only who may share may revoke', async () => {
    const link = await createLink({ token: staff.tokens.reporter })
    const token = shareTokenOf(link.url)
    const listed = (await (
      await call({ path: `/api/stories/${story.id}/preview-links`, token: staff.tokens.editor })
    ).json()) as { links: { id: number }[] }
    expect(listed.links.map((open) => open.id)).toContain(link.id)
    const anonymous = await call({ method: 'DELETE', path: `/api/preview-links/${link.id}` })
    expect(anonymous.status).toBe(401)
    const stranger = await call({
      method: 'DELETE',
      path: `/api/preview-links/${link.id}`,
      token: otherReporter.tokens.reporter,
    })
    expect(stranger.status).toBe(403)
    const revoked = await call({
      method: 'DELETE',
      path: `/api/preview-links/${link.id}`,
      token: staff.tokens.reporter,
    })
    expect(revoked.status).toBe(200)
    expect(await revoked.json()).toMatchObject({ id: link.id, revokedAt: expect.any(String) })
    const response = await serveSharedPreview({ payload: kitchen.payload, token, siteUrl: SITE_URL })
    expect(response.status).toBe(410)
    expect(await response.text()).toContain('被撤销')
    const image = await serveSharedMedia({
      payload: kitchen.payload,
      token,
      filename: String(hero.sizes?.hero?.filename),
    })
    expect(image.status).toBe(410)
    const relisted = (await (
      await call({ path: `/api/stories/${story.id}/preview-links`, token: staff.tokens.editor })
    ).json()) as { links: { id: number }[] }
    expect(relisted.links.map((open) => open.id)).not.toContain(link.id)
    // The other way to say it, by an editor, on a link still open.
    const second = await createLink({ token: staff.tokens.editor })
    const byPost = await call({
      method: 'POST',
      path: `/api/preview-links/${second.id}/revoke`,
      token: staff.tokens.editor,
    })
    expect(byPost.status).toBe(200)
    expect(
      (await call({ method: 'DELETE', path: '/api/preview-links/999999', token: staff.tokens.editor }))
        .status,
    ).toBe(404)
  })
})
