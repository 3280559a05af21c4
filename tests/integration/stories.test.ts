import { ValidationError } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { collectionSlugs } from '../../cms/slugs.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

let kitchen: TestKitchen
let sectionId: number

beforeAll(async () => {
  kitchen = await startTestKitchen()
  const section = await kitchen.payload.create({
    collection: collectionSlugs.sections,
    data: { name: '劳模风采', order: 1 },
  })
  sectionId = section.id
})

afterAll(async () => {
  await kitchen?.cleanup()
})

const createStory = (data: { title?: string; slug?: string; section?: number }) =>
  kitchen.payload.create({
    collection: collectionSlugs.stories,
    data: { section: sectionId, ...data } as never,
  })

describe('story slugs', () => {
  it('turns a Chinese title into a pinyin slug', async () => {
    const story = await createStory({ title: '焊花飞溅三十年：造船厂里的“焊神”' })
    expect(story.slug).toBe('han-hua-fei-jian-san-shi-nian-zao-chuan-chang-li-de-han-shen')
    await kitchen.payload.delete({ collection: collectionSlugs.stories, id: story.id })
  })

  it('gives a colliding slug a numeric suffix', async () => {
    const first = await createStory({ title: '职工书屋开进车间' })
    const second = await createStory({ title: '职工书屋开进车间' })
    const third = await createStory({ title: '职工书屋：开进车间！' })
    expect([first.slug, second.slug, third.slug]).toEqual([
      'zhi-gong-shu-wu-kai-jin-che-jian',
      'zhi-gong-shu-wu-kai-jin-che-jian-2',
      'zhi-gong-shu-wu-kai-jin-che-jian-3',
    ])
    for (const story of [first, second, third]) {
      await kitchen.payload.delete({ collection: collectionSlugs.stories, id: story.id })
    }
  })

  it('keeps an edited slug, normalised to lower-case ASCII', async () => {
    const story = await createStory({ title: '5G基站里的电力医生', slug: 'Dianli Yisheng 5G' })
    expect(story.slug).toBe('dianli-yisheng-5g')
    const renamed = await kitchen.payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { slug: '电力医生' },
    })
    expect(renamed.slug).toBe('dian-li-yi-sheng')
    await kitchen.payload.delete({ collection: collectionSlugs.stories, id: story.id })
  })

  it('does not count a story as colliding with itself when it is saved again', async () => {
    const story = await createStory({ title: '一线工匠的新年愿望' })
    const saved = await kitchen.payload.update({
      collection: collectionSlugs.stories,
      id: story.id,
      data: { slug: story.slug ?? '' },
    })
    expect(saved.slug).toBe('yi-xian-gong-jiang-de-xin-nian-yuan-wang')
    await kitchen.payload.delete({ collection: collectionSlugs.stories, id: story.id })
  })
})

describe('required fields', () => {
  it('refuses a story without title or section with an error on each field', async () => {
    const attempt = kitchen.payload.create({
      collection: collectionSlugs.stories,
      data: { summary: '没有标题的稿件' } as never,
    })
    await expect(attempt).rejects.toBeInstanceOf(ValidationError)
    const error = (await attempt.catch((err: unknown) => err)) as ValidationError
    const paths = error.data.errors.map((fieldError) => fieldError.path).sort()
    expect(paths).toEqual(['section', 'title'])
    const { totalDocs } = await kitchen.payload.count({ collection: collectionSlugs.stories })
    expect(totalDocs).toBe(0)
  })
})
