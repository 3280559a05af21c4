import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handledNodeTypes } from '../../cms/channels/lexical/nodes.ts'
import type { PublishedStory } from '../../cms/channels/types.ts'
import { type BulkPlate, plateInBulk } from '../../cms/publishing/plate/plateInBulk.ts'
import { readAllPublished, readPublishedPage } from '../../cms/publishing/plate/readPublishedStories.ts'
import { seedDemoContent } from '../../cms/seed/index.ts'
import { internalLink, paragraph, root, savedState, text } from '../../cms/seed/lexicalNodes.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen

beforeAll(async () => {
  kitchen = await startTestKitchen()
  await seedDemoContent({ payload: kitchen.payload, now: new Date(), adminPassword: 'demo-password-1' })
})

afterAll(async () => {
  await kitchen?.cleanup()
})

async function collect() {
  const stories = []
  for await (const story of readAllPublished({ payload: kitchen.payload, limit: 7 })) stories.push(story)
  return stories
}

describe('the plate reader', () => {
  it('pages through every published story once, newest first, and nothing unpublished', async () => {
    const published = await kitchen.payload.find({
      collection: collectionSlugs.stories,
      where: { and: [{ _status: { equals: 'published' } }, { stage: { in: ['published', 'corrected'] } }] },
      pagination: false,
      depth: 0,
    })
    const stories = await collect()
    expect(stories.map((s) => s.id).sort()).toEqual(published.docs.map((d) => d.id).sort())
    expect(new Set(stories.map((s) => s.id)).size).toBe(stories.length)
    const dates = stories.map((s) => s.publishedAt)
    expect(dates).toEqual([...dates].sort().reverse())
    const unpublished = await kitchen.payload.find({
      collection: collectionSlugs.stories,
      where: { _status: { equals: 'draft' } },
      pagination: false,
      depth: 0,
    })
    expect(unpublished.docs.length).toBeGreaterThan(0)
    const ids = new Set(stories.map((s) => s.id))
    for (const draft of unpublished.docs) expect(ids.has(draft.id)).toBe(false)
  })

  it('plates a demo story whole: images with renditions, people without staff-only data, counts', async () => {
    const stories = await collect()
    const story = stories.find((s) => s.title.startsWith('陈海生'))
    if (!story) throw new Error('the demo story about 陈海生 is not on the plate')
    expect(story.path).toBe(`/stories/${story.slug}/`)
    expect(story.bodyHtml).toContain('<h2>从学徒工到“焊接医生”</h2>')
    expect(story.bodyHtml).toContain('<blockquote><p>焊缝是藏在船体里的')
    expect(story.bodyHtml).toMatch(
      /<figure><picture><source type="image\/avif" srcset="\/media\/[^"]+ 1600w"/,
    )
    expect(story.bodyHtml).toContain('陈海生（右）在船坞分段内向青年焊工讲解仰焊要领')
    expect(story.images).toHaveLength(1)
    expect(story.hero?.renditions.map((r) => r.name).sort()).toEqual([
      'card',
      'hero',
      'heroAvif',
      'og',
      'thumbnail',
    ])
    expect(story.hero?.renditions.every((r) => r.filesize > 0)).toBe(true)
    expect(story.bodyText.startsWith('早上七点，白沙港区的江风还带着凉意')).toBe(true)
    expect(story.counts.hanzi).toBeGreaterThan(500)
    expect(story.readingMinutes).toBe(Math.ceil(story.counts.total / 400))
    expect(story.people.map((p) => p.name)).toContain('陈海生')
    expect(JSON.stringify(story)).not.toContain('contactPhone')
    expect(JSON.stringify(story)).not.toContain('internalNotes')
    expect(story.embargoUntil).toBeNull()
  })

  it('leaves out a published story while it is under embargo, and serves it once the embargo ends', async () => {
    const { payload } = kitchen
    const [section] = (await payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs
    if (!section) throw new Error('the seed made no section')
    const story = await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: '禁发稿件：市总工会年度报告',
        section: section.id,
        stage: 'published',
        _status: 'published',
        publishedAt: new Date().toISOString(),
        embargoUntil: new Date(Date.now() + 3_600_000).toISOString(),
      },
      context: { isSeed: true },
    })
    const first = await readPublishedPage({ payload, limit: 500 })
    expect(first.docs.some((s) => s.id === story.id)).toBe(false)
    await payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { embargoUntil: new Date(Date.now() - 1000).toISOString() },
      context: { isSeed: true },
    })
    const after = await readPublishedPage({ payload, limit: 500 })
    const plated = after.docs.find((s) => s.id === story.id)
    expect(plated?.title).toBe('禁发稿件：市总工会年度报告')
    // The embargo time itself is staff-only.
    expect(plated?.embargoUntil).toBeNull()
  })

  it("plates in bulk (the site build's reader) exactly as the public's own read does, links to unpublished stories left out", async () => {
    const { payload } = kitchen
    const [section] = (await payload.find({ collection: collectionSlugs.sections, limit: 1 })).docs
    const [linked] = await collect()
    const draft = await payload.create({
      collection: collectionSlugs.stories,
      data: { title: '未发布的草稿', section: section?.id as number },
      draft: true,
      context: { isSeed: true },
    })
    const link = (id: number, words: string) =>
      internalLink({ relationTo: collectionSlugs.stories, value: id, children: [text(words)] })
    const linking = await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: '链接测试：相关报道',
        section: section?.id as number,
        stage: 'published',
        _status: 'published',
        publishedAt: new Date().toISOString(),
        body: savedState(
          root(paragraph(link(linked?.id as number, '已发布的报道'), text('和'), link(draft.id, '草稿'))),
        ) as never,
      },
      context: { isSeed: true },
    })
    const public_: PublishedStory[] = await collect()
    const ids = public_.map((story) => story.id)
    const bulk: BulkPlate[] = []
    for await (const batch of plateInBulk({ payload, ids: [...ids, draft.id] })) bulk.push(...batch)
    const byId = (stories: PublishedStory[]) => [...stories].sort((a, b) => a.id - b.id)
    expect(byId(bulk.map(({ story }) => story))).toEqual(byId(public_))
    const plated = bulk.find(({ story }) => story.id === linking.id)
    expect(plated?.story.bodyHtml).toContain(`<a href="${linked?.path}">已发布的报道</a>`)
    expect(plated?.story.bodyHtml).toContain('和草稿')
    expect(plated?.story.bodyHtml).not.toContain(String(draft.slug))
    // Beside the plate, every story it links to and the address the plate gave it (the site
    // build plates the story again once one of them moves, leaves or arrives).
    expect(plated?.links).toEqual([
      { id: linked?.id, path: linked?.path },
      { id: draft.id, path: null },
    ])
  })

  it('has a renderer for every node the story editor can save', async () => {
    const config = await kitchen.config
    const stories = config.collections.find((c) => c.slug === collectionSlugs.stories)
    const body = stories?.fields.find((f) => 'name' in f && f.name === 'body')
    const editor = body && 'editor' in body ? body.editor : undefined
    const features = (
      editor as { editorConfig?: { features?: { nodes?: { node: { getType(): string } }[] } } }
    )?.editorConfig?.features
    const nodeTypes = (features?.nodes ?? []).map(({ node }) => node.getType())
    expect(nodeTypes.length).toBeGreaterThan(5)
    for (const type of nodeTypes) expect(handledNodeTypes).toContain(type)
  })
})
