import type { Media, Story } from '../../cms/payload-types.ts'
import { loadRenderer } from '../../cms/publishing/site/renderer.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { paragraph, root, savedState, text, upload } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { issuePartnerKey } from './partnerKeys.ts'
import { createStaff, type Staff } from './staff.ts'
import { startTestKitchen, type TestKitchen } from './testPayload.ts'

/** Only the draft says it: it must never reach the site, a feed or a partner. */
export const DRAFT_WORD = '鸿雁预览专用稿词'
export const PUBLISHED_TITLE = '港口装卸工的节能小发明'
export const DRAFT_TITLE = `港口装卸工的节能小发明获国家专利（${DRAFT_WORD}）`

/** A seeded kitchen with one reporter's published story and a newer draft of it on top. */
export interface PreviewKitchen {
  kitchen: TestKitchen
  /** The story's own reporter, an editor and an admin. */
  staff: Staff<'admin' | 'editor' | 'reporter'>
  /** A reporter who did not write the story. */
  otherReporter: Staff<'reporter'>
  /** A partner's key for every feed format. */
  partnerKey: string
  story: Story
  hero: Media
  /** The story's published version (the draft is newer). */
  publishedVersionId: number
  /** The kitchen's REST API as a browser or a client calls it (`JWT` token, or other headers). */
  call: (args: {
    method?: 'GET' | 'POST' | 'DELETE'
    path: string
    token?: string
    headers?: Record<string, string>
  }) => Promise<Response>
}

/**
 * The preview tests' kitchen: the demo seed, staff, a partner, and the story (published as
 * PUBLISHED_TITLE, then saved as a draft titled DRAFT_TITLE with DRAFT_WORD in its body and an
 * image caption); the site's renderer built now when stale (the web preview renders with it).
 */
export async function startPreviewKitchen(): Promise<PreviewKitchen> {
  const kitchen = await startTestKitchen()
  const { payload } = kitchen
  await seedDemoContent({ payload, adminPassword: 'demo-password-1' })
  const staff = await createStaff({ payload, domain: 'preview.test', roles: ['admin', 'editor', 'reporter'] })
  const otherReporter = await createStaff({ payload, domain: 'other.preview.test', roles: ['reporter'] })
  const partner = await payload.create({
    collection: collectionSlugs.partners,
    data: { name: '工人日报社', allowedFormats: ['rss', 'json', 'ninjs'], rateLimitPerMinute: 1000 },
  })
  const partnerKey = await issuePartnerKey({
    api: kitchen.api,
    token: staff.tokens.admin,
    partnerId: partner.id,
  })
  const [section] = (await payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs
  const [hero] = (await payload.find({ collection: collectionSlugs.media, limit: 1, depth: 0 })).docs
  if (!section || !hero) throw new Error('the demo seed has no section or image')
  const published = await payload.create({
    collection: collectionSlugs.stories,
    user: staff.users.reporter,
    data: {
      title: PUBLISHED_TITLE,
      summary: '一位装卸工把岸桥的待机能耗降了三成。',
      section: section.id,
      heroImage: hero.id,
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
      body: savedState(root(paragraph(text('岸桥司机李建国琢磨三年，改出一套节能控制。')))),
    },
    context: { isSeed: true },
  })
  const story = await payload.update({
    collection: collectionSlugs.stories,
    id: published.id,
    draft: true,
    data: {
      title: DRAFT_TITLE,
      body: savedState(
        root(
          paragraph(text(`草稿新增一段：${DRAFT_WORD}，待总编室审定。`)),
          upload({ id: 'figure-1', value: hero.id, caption: `图说：${DRAFT_WORD}` }),
        ),
      ),
    },
    context: { isSeed: true },
  })
  const versions = await payload.findVersions({
    collection: collectionSlugs.stories,
    where: { and: [{ parent: { equals: story.id } }, { 'version._status': { equals: 'published' } }] },
    sort: '-updatedAt',
    limit: 1,
    depth: 0,
  })
  await loadRenderer()
  return {
    kitchen,
    staff,
    otherReporter,
    partnerKey,
    story,
    hero,
    publishedVersionId: Number(versions.docs[0]?.id),
    call: ({ method = 'GET', path, token, headers = {} }) => {
      const url = new URL(path, 'http://kitchen.test')
      const slug = url.pathname.replace(/^\/api\//, '').split('/')
      return kitchen.api.rest[method](
        new Request(url, {
          method,
          headers: { ...(token ? { authorization: `JWT ${token}` } : {}), ...headers },
        }),
        { params: Promise.resolve({ slug }) },
      )
    },
  }
}
