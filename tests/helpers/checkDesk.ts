import type { Payload } from 'payload'
import sharp from 'sharp'
import { expect } from 'vitest'
import type { LexicalNode } from '../../cms/channels/lexical/nodes.ts'
import type { Story } from '../../cms/payload-types.ts'
import { seedContext } from '../../cms/seed/index.ts'
import { paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { createStaff, type Staff } from './staff.ts'
import { startTestKitchen, type TestKitchen } from './testPayload.ts'

export type Role = 'admin' | 'editor' | 'reporter'

/** One finding as GET /api/stories/:id/checks answers it. */
export type Check = {
  code: string
  severity: 'block' | 'warn'
  field: string
  message: { zh: string; en: string }
}

type ImageName = 'good' | 'noCredit' | 'noAlt' | 'noConsent' | 'expired' | 'consented'

/** A kitchen for the pre-publication check: staff, a section, images of every kind and a term list. */
export type CheckDesk = {
  kitchen: TestKitchen
  payload: Payload
  staff: Staff<Role>
  section: number
  /** Media ids: with alt and credit; without credit; blank alt; people without consent; expired on 2025-06-30; consent to 2099. */
  images: Record<ImageName, number>
  /** A draft of the editor's (access checked), with words in its body unless told otherwise. */
  draft: (data?: Partial<Story>) => Promise<Story>
  /** A story readers can open, or one that was withdrawn. */
  liveStory: (title: string, stage?: 'published' | 'withdrawn') => Promise<Story>
  /** A REST call as `role` (anonymous without one): status and JSON. */
  call: (
    method: 'GET' | 'PATCH' | 'POST',
    path: string,
    role?: Role,
    data?: unknown,
  ) => Promise<{ status: number; json: Record<string, unknown> }>
  /** The story's checks as `role` reads them (editor unless told): must answer 200. */
  checksOf: (id: number, role?: Role) => Promise<Check[]>
  cleanup: () => Promise<void>
}

export const body = (...children: LexicalNode[]) => savedState(root(...children)) as unknown as Story['body']
export const words = (copy: string) => body(paragraph(text(copy)))

/** `severity code field` of each finding, as the sidebar lists them. */
export const listed = (checks: Check[]) =>
  checks.map((check) => `${check.severity} ${check.code} ${check.field}`)

/**
 * The house terms of the desk: 残废人 forbidden (→ 残疾人, 新华社禁用词), 全国劳模 and
 * 市总工会 suggested (full forms), 工会 suggested as a whole word only.
 */
const terms = [
  { term: '残废人', severity: 'block', replacement: '残疾人', note: '新华社禁用词' },
  { term: '全国劳模', severity: 'suggest', replacement: '全国劳动模范' },
  { term: '市总工会', severity: 'suggest', replacement: '江州市总工会' },
  { term: '工会', severity: 'suggest', replacement: '工会组织', wholeWord: true },
] as const

export async function openCheckDesk(): Promise<CheckDesk> {
  const kitchen = await startTestKitchen()
  const { payload } = kitchen
  const staff = await createStaff({ payload, domain: 'checks.test', roles: ['admin', 'editor', 'reporter'] })
  const section =
    // One review level: an editor’s approval is the review (三审 is tested in reviewLevels.test.ts).
    (
      await payload.create({
        collection: collectionSlugs.sections,
        data: { name: '检查', order: 1, reviewLevels: 1 },
      })
    ).id
  const images = await makeImages({ payload })
  for (const term of terms) await payload.create({ collection: collectionSlugs.houseTerms, data: term })

  const call: CheckDesk['call'] = async (method, path, role, data) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (role) headers.authorization = `JWT ${staff.tokens[role]}`
    const response = await kitchen.api.rest[method](
      new Request(`http://localhost/api/${path}`, {
        method,
        headers,
        body: data ? JSON.stringify(data) : undefined,
      }),
      { params: Promise.resolve({ slug: path.split('?')[0]?.split('/') ?? [] }) },
    )
    return { status: response.status, json: (await response.json()) as Record<string, unknown> }
  }
  return {
    kitchen,
    payload,
    staff,
    section,
    images,
    call,
    draft: (data = {}) =>
      payload.create({
        collection: collectionSlugs.stories,
        data: { title: '职工书屋新到一批技术书', section, body: words('职工书屋新到一批技术书。'), ...data },
        draft: true,
        user: staff.users.editor,
        overrideAccess: false,
      }),
    liveStory: (title, stage = 'published') =>
      payload.create({
        collection: collectionSlugs.stories,
        data: {
          title,
          section,
          body: words(`${title}。`),
          stage,
          _status: 'published',
          ...(stage === 'withdrawn' ? { withdrawnReason: '事实有误' } : {}),
        },
        context: seedContext,
      }),
    checksOf: async (id, role = 'editor') => {
      const { status, json } = await call('GET', `stories/${id}/checks`, role)
      expect(status).toBe(200)
      return json.checks as Check[]
    },
    cleanup: () => kitchen.cleanup(),
  }
}

async function makeImages({ payload }: { payload: Payload }): Promise<Record<ImageName, number>> {
  const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8a1c14' } })
    .jpeg()
    .toBuffer()
  const image = async (name: string, data: Record<string, unknown>) =>
    (
      await payload.create({
        collection: collectionSlugs.media,
        data: { alt: `${name} 的替代文字`, ...data },
        file: { data: jpeg, mimetype: 'image/jpeg', name: `${name}.jpg`, size: jpeg.length },
      })
    ).id
  const people = { showsPeople: true }
  const record = { ...people, consentRecord: '本人签字授权书 SQ-0412' }
  return {
    good: await image('good', { credit: '记者 王晓燕 摄' }),
    noCredit: await image('no-credit', {}),
    noAlt: await image('no-alt', { alt: ' ', credit: '通讯员 李强 摄' }),
    noConsent: await image('no-consent', { credit: '记者 摄', portrait: people }),
    expired: await image('expired', {
      credit: '记者 摄',
      portrait: { ...record, consentExpiresAt: '2025-06-30T00:00:00.000Z' },
    }),
    consented: await image('consented', {
      credit: '记者 摄',
      portrait: { ...record, consentExpiresAt: '2099-12-31T00:00:00.000Z' },
    }),
  }
}
