import type { Rights } from './types.ts'

/** Who publishes: printed on the site, in feeds and on exports. */
export const house = {
  name: '鸿雁职工新闻',
  publisher: '江州市总工会融媒体中心',
  description: '江州市总工会融媒体中心“中央厨房”：劳模工匠、职工教育、职工文化，一次采写，多端发布。',
  language: 'zh-CN',
} as const

export const houseRights: Rights = {
  copyrightHolder: house.publisher,
  usageTerms: '本稿件版权归江州市总工会融媒体中心所有，合作媒体按协议使用，转载请注明出处。',
}
