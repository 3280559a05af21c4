/**
 * Words of the house that the segmenter's dictionary (ICU, behind `Intl.Segmenter('zh')`)
 * splits: it reads 总工会 as 总|工会 and 劳动者 as 劳动|者. A whole-word term never matches
 * inside one of these, so 工会 (whole word) does not hit the 工会 of 全国总工会. Add a word
 * here when an editor finds a whole-word term hitting inside a longer word of ours.
 */
export const houseWords: readonly string[] = [
  '总工会', // 全国总工会, 省总工会, 市总工会: one organisation, not 总 + 工会
  '分工会', // a branch of a union
  '职代会', // 职工代表大会, split into three single characters
  '劳动者', // not 劳动 + 者
  '五一劳动奖章', // an honour, one name
]
