import { describe, expect, it } from 'vitest'
import { highlightExcerpt } from '../../cms/publishing/search/searchExcerpt.ts'
import { normalizeTerm, termTokens, textTokens } from '../../cms/publishing/search/searchTerms.ts'

describe('search tokens', () => {
  it('indexes each character and each bigram of Chinese, and ASCII words lowercased', () => {
    expect(textTokens('劳模工匠，5G网络').sort()).toEqual(
      ['劳', '模', '工', '匠', '劳模', '模工', '工匠', '5g', '网', '络', '网络'].sort(),
    )
  })

  it('splits at control characters: no token holds one (entries travel to Postgres joined by U+001F)', () => {
    const tokens = textTokens('工匠\u001f精神\u0000Ab\u001fc')
    expect(tokens.sort()).toEqual(['工', '匠', '工匠', '精', '神', '精神', 'ab', 'c'].sort())
    expect(tokens.some((token) => /\p{C}/u.test(token))).toBe(false)
  })

  it('asks for the bigrams of a term, the character of a one-字 term', () => {
    expect(termTokens('劳模工匠')).toEqual(['劳模', '模工', '工匠'])
    expect(termTokens('焊')).toEqual(['焊'])
    expect(termTokens('  Payload CMS ')).toEqual(['payload', 'cms'])
    expect(termTokens('工匠，精神')).toEqual(['工匠', '精神'])
    expect(termTokens('，。！')).toEqual([])
  })

  it('finds a term wherever it is in Chinese text: every token of the term is a token of the text', () => {
    const text = '船坞里的焊花照亮了夜班工人的脸'
    const tokens = new Set(textTokens(text))
    for (let start = 0; start < text.length; start += 1)
      for (let length = 1; length <= 4 && start + length <= text.length; length += 1)
        for (const token of termTokens(text.slice(start, start + length)))
          expect(tokens.has(token)).toBe(true)
  })

  it('normalizes a term: trimmed, spaces collapsed, ASCII lowercased', () => {
    expect(normalizeTerm('  Hongyan\t 鸿雁 ')).toBe('hongyan 鸿雁')
  })
})

describe('search excerpts', () => {
  it('shows the text around the first hit, escaped, every hit marked', () => {
    const text = `${'前'.repeat(50)}焊缝<焊缝>${'后'.repeat(200)}`
    const excerpt = highlightExcerpt({ text, term: '焊缝' })
    expect(excerpt.startsWith(`…${'前'.repeat(30)}<mark>焊缝</mark>&lt;<mark>焊缝</mark>&gt;`)).toBe(true)
    expect(excerpt.endsWith('…')).toBe(true)
  })

  it('shows the start of the text when the term is only in the title', () => {
    expect(highlightExcerpt({ text: '正文 & 更多', term: '标题' })).toBe('正文 &amp; 更多')
  })
})
