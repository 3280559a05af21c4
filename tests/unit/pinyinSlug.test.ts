import { describe, expect, it } from 'vitest'
import { pinyinSlug, uniqueSlug } from '../../cms/lib/pinyinSlug.ts'

describe('pinyinSlug', () => {
  it.each([
    ['劳模风采：王师傅的30年', 'lao-mo-feng-cai-wang-shi-fu-de-30-nian'],
    ['5G基站里的“电力医生”', '5g-ji-zhan-li-de-dian-li-yi-sheng'],
    ['重庆长安汽车的工匠', 'chong-qing-chang-an-qi-che-de-gong-jiang'],
    ['绿色出行', 'lv-se-chu-xing'],
    ['ＡＩ质检，全角字母', 'ai-zhi-jian-quan-jiao-zi-mu'],
    ['Café Ünïcode', 'cafe-unicode'],
    ['！？。', ''],
  ])('%s → %s', (title, slug) => {
    expect(pinyinSlug(title)).toBe(slug)
  })

  it('cuts long titles at a syllable boundary, within 80 characters', () => {
    const slug = pinyinSlug(
      '江州市总工会举办第十二届职工职业技能大赛暨劳动和技能竞赛表彰大会，全市三百余名一线职工同台竞技',
    )
    expect(slug.length).toBeLessThanOrEqual(80)
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
  })
})

describe('uniqueSlug', () => {
  it('adds the first free numeric suffix', async () => {
    const taken = new Set(['gong-jiang', 'gong-jiang-2'])
    expect(await uniqueSlug({ base: 'gong-jiang', isTaken: async (slug) => taken.has(slug) })).toBe(
      'gong-jiang-3',
    )
    expect(await uniqueSlug({ base: 'lao-mo', isTaken: async (slug) => taken.has(slug) })).toBe('lao-mo')
  })
})
