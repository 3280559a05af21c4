import { describe, expect, it } from 'vitest'
import { countChinese, readingMinutes } from '../../cms/channels/chineseCount.ts'

// Real paragraphs from labor reporting; the expected figures were counted by hand.
describe('counting Chinese copy as a newspaper does', () => {
  it('counts 汉字 and full-width punctuation one each', () => {
    // 陈 海 生 一 干 就 是 三 十 年 (10) + ，。 (2)
    expect(countChinese('陈海生一干就是三十年，。')).toEqual({
      hanzi: 10,
      punctuation: 2,
      latinCells: 0,
      total: 12,
    })
  })

  it('counts quotation marks, book-title marks, dashes and ellipses', () => {
    const text = '“奖章挂在墙上，手艺得留在船上。”他说——《工人日报》……'
    // hanzi: 奖章挂在墙上 6 + 手艺得留在船上 7 + 他说 2 + 工人日报 4 = 19
    // punctuation: “ ， 。 ” — — 《 》 … … = 10
    expect(countChinese(text)).toEqual({ hanzi: 19, punctuation: 10, latinCells: 0, total: 29 })
  })

  it('gives a run of Latin letters or digits half a cell per character, rounded up per run', () => {
    // 承接一艘 4 + LNG (3 → 2) + 运输船 3 + 2022 (4 → 2) + 年 1 + 0.7 (3 → 2) + 毫米 2 + 99.8% (5 → 3)
    const counts = countChinese('承接一艘LNG运输船 2022年 0.7毫米 99.8%')
    expect(counts).toEqual({ hanzi: 10, punctuation: 0, latinCells: 9, total: 19 })
  })

  it('does not count spaces, line breaks or emoji', () => {
    expect(countChinese('劳模 \n\n 工匠 👷')).toEqual({ hanzi: 4, punctuation: 0, latinCells: 0, total: 4 })
  })

  it('counts a whole demo paragraph the same as an independent count by code point class', () => {
    const paragraph =
      '1995年，19岁的陈海生从江州技工学校毕业进厂，跟着师傅从最简单的平角焊练起。那几年，他每天下班后留在车间多练一个小时，用剩的焊条头攒了满满几麻袋。'
    const chars = [...paragraph]
    const hanzi = chars.filter((c) => /\p{Ideographic}/u.test(c)).length
    const punctuation = chars.filter((c) => '，。、“”'.includes(c)).length
    // Two digit runs: 1995 → 2 cells, 19 → 1 cell.
    expect(countChinese(paragraph)).toEqual({
      hanzi,
      punctuation,
      latinCells: 3,
      total: hanzi + punctuation + 3,
    })
    expect(hanzi).toBe(63)
  })

  it('turns counts into whole reading minutes at 400 characters a minute', () => {
    expect(readingMinutes(countChinese(''))).toBe(1)
    expect(readingMinutes({ hanzi: 800, punctuation: 0, latinCells: 0, total: 800 })).toBe(2)
    expect(readingMinutes({ hanzi: 801, punctuation: 0, latinCells: 0, total: 801 })).toBe(3)
  })
})
