import { describe, expect, it } from 'vitest'
import {
  buildTermMatcher,
  cachedTermMatcher,
  type HouseTermRule,
  termMatcherFor,
} from '../../cms/channels/checks/termMatcher.ts'

const rule = (term: string, extra: Partial<HouseTermRule> = {}): HouseTermRule => ({
  term,
  severity: 'suggest',
  ...extra,
})

/** What an editor is shown: each hit's term and the words it covers. */
function hits(terms: HouseTermRule[], text: string): string[] {
  return buildTermMatcher({ terms, version: 'test' })
    .scan(text)
    .map((hit) => `${hit.rule.term}@${text.slice(hit.start, hit.end)}:${hit.start}`)
}

describe('the house term matcher', () => {
  it('finds every occurrence of every term, with where it is', () => {
    const text = '全国劳模王师傅说，全国劳模不是终点；他是市级劳模。'
    expect(hits([rule('全国劳模', { replacement: '全国劳动模范' }), rule('终点')], text)).toEqual([
      '全国劳模@全国劳模:0',
      '全国劳模@全国劳模:9',
      '终点@终点:15',
    ])
  })

  it('matches a substring term anywhere, even inside a longer word', () => {
    expect(hits([rule('工会')], '市总工会组织工会干部培训')).toEqual(['工会@工会:2', '工会@工会:6'])
  })

  it('matches a whole-word term only where it stands as a word: not inside 总工会 or 分工会', () => {
    const terms = [rule('工会', { wholeWord: true })]
    expect(hits(terms, '中华全国总工会')).toEqual([])
    expect(hits(terms, '市总工会主席出席')).toEqual([])
    expect(hits(terms, '车间分工会换届')).toEqual([])
    expect(hits(terms, '基层工会组织、工会干部和“工会”二字')).toEqual([
      '工会@工会:2',
      '工会@工会:7',
      '工会@工会:13',
    ])
  })

  it('uses the segmenter for whole words: no hit across a word in Chinese or Latin text', () => {
    // 模范 is a word of its own in 劳动模范 but 动模 is not a word anywhere.
    expect(hits([rule('动模', { wholeWord: true })], '全国劳动模范')).toEqual([])
    expect(hits([rule('劳动模范', { wholeWord: true })], '他是全国劳动模范。')).toEqual([
      '劳动模范@劳动模范:4',
    ])
    expect(hits([rule('APP', { wholeWord: true })], 'APPLE 与 APP 不同')).toEqual(['APP@APP:8'])
    expect(hits([rule('APP')], 'APPLE')).toEqual(['APP@APP:0'])
  })

  it('does not flag text that is already in the recommended form', () => {
    const terms = [rule('全国总工会', { replacement: '中华全国总工会' })]
    expect(hits(terms, '中华全国总工会发布通知')).toEqual([])
    expect(hits(terms, '全国总工会发布通知')).toEqual(['全国总工会@全国总工会:0'])
    expect(hits(terms, '中华全国总工会和全国总工会')).toEqual(['全国总工会@全国总工会:8'])
  })

  it('reports overlapping terms each: a longer and a shorter term on the same words', () => {
    const terms = [
      rule('全国劳模', { replacement: '全国劳动模范' }),
      rule('劳模', { replacement: '劳动模范' }),
      rule('模王'),
    ]
    expect(hits(terms, '全国劳模王师傅')).toEqual(['全国劳模@全国劳模:0', '劳模@劳模:2', '模王@模王:3'])
  })

  it('keeps each rule with its hit: severity, replacement and note', () => {
    const forbidden = rule('临时工', { severity: 'block', replacement: '劳务派遣人员', note: '用工规范' })
    const [hit] = buildTermMatcher({ terms: [forbidden], version: 'v' }).scan('招聘临时工')
    expect(hit?.rule).toEqual(forbidden)
  })

  it('finds the right terms among many: 10,000 terms, hits only where they occur', () => {
    const terms = Array.from({ length: 10_000 }, (_, index) => rule(`术语${index}号`))
    terms.push(rule('工会', { wholeWord: true }))
    const matcher = buildTermMatcher({ terms, version: 'many' })
    const text = `${'职工之家建设。'.repeat(500)}术语42号和术语9999号，总工会与工会。`
    const found = matcher.scan(text).map((hit) => text.slice(hit.start, hit.end))
    expect(found).toEqual(['术语42号', '术语9999号', '工会'])
  })

  it('ignores empty terms and an empty text', () => {
    expect(hits([rule(' '), rule('劳模')], '')).toEqual([])
    expect(hits([rule(' '), rule('劳模')], '劳模')).toEqual(['劳模@劳模:0'])
  })

  it('builds a list once per version and again when the version changes', () => {
    const first = termMatcherFor({ version: 'list-1', terms: [rule('劳模')] })
    expect(termMatcherFor({ version: 'list-1', terms: [rule('完全不同')] })).toBe(first)
    expect(cachedTermMatcher({ version: 'list-1' })).toBe(first)
    expect(cachedTermMatcher({ version: 'list-2' })).toBeUndefined()
    const second = termMatcherFor({ version: 'list-2', terms: [rule('工匠')] })
    expect(second).not.toBe(first)
    expect(second.scan('劳模工匠').map((hit) => hit.rule.term)).toEqual(['工匠'])
  })
})
