import type { HouseTermRule, TermMatcher } from '../../channels/checks/termMatcher.ts'
import type { StoryCheck } from './types.ts'

/** One piece of the story's copy, in reading order, with the field it is fixed in. */
export interface CopyPiece {
  field: string
  /** How the editor calls this copy: 主题, 正文, 题图图说… */
  name: { zh: string; en: string }
  text: string
}

/**
 * The house term list (规范用语) over the story's copy: each 禁用 term blocks, with the form to
 * use; each 提示 term warns. One finding a term and field, with how often it occurs. A 提示
 * term is fine once its recommended form has come first in reading order: 全国总工会 after
 * 中华全国总工会 (the full name on first mention, the short one after).
 */
export function checkTerms({
  matcher,
  copy,
}: {
  matcher: TermMatcher
  copy: readonly CopyPiece[]
}): StoryCheck[] {
  const found = copy.map((piece) => ({ piece, hits: piece.text ? matcher.scan(piece.text) : [] }))
  const firstFullForm = new Map<string, { index: number; offset: number } | null>()
  const fullFormAt = (form: string) => {
    if (!firstFullForm.has(form)) {
      const index = copy.findIndex((piece) => piece.text.includes(form))
      firstFullForm.set(form, index < 0 ? null : { index, offset: copy[index]?.text.indexOf(form) ?? 0 })
    }
    return firstFullForm.get(form) ?? null
  }
  const counted = new Map<string, { rule: HouseTermRule; piece: CopyPiece; count: number }>()
  found.forEach(({ piece, hits }, index) => {
    for (const hit of hits) {
      const form = hit.rule.replacement?.trim()
      if (hit.rule.severity === 'suggest' && form) {
        const full = fullFormAt(form)
        const isAfterFullForm =
          full && (full.index < index || (full.index === index && full.offset < hit.start))
        if (isAfterFullForm) continue
      }
      const key = `${hit.rule.term}\u0000${piece.field}\u0000${piece.name.zh}`
      const entry = counted.get(key) ?? { rule: hit.rule, piece, count: 0 }
      entry.count += 1
      counted.set(key, entry)
    }
  })
  return [...counted.values()].map(({ rule, piece, count }) => termCheck({ rule, piece, count }))
}

function termCheck({
  rule,
  piece,
  count,
}: {
  rule: HouseTermRule
  piece: CopyPiece
  count: number
}): StoryCheck {
  const form = rule.replacement?.trim()
  const note = rule.note?.trim()
  const times = { zh: count > 1 ? `（${count} 处）` : '', en: count > 1 ? ` (${count} times)` : '' }
  const why = { zh: note ? `（${note}）` : '', en: note ? ` (${note})` : '' }
  if (rule.severity === 'block') {
    return {
      code: 'term_forbidden',
      severity: 'block',
      field: piece.field,
      message: {
        zh: `${piece.name.zh}中有禁用词“${rule.term}”${times.zh}：${form ? `请改为“${form}”` : '请删改'}${why.zh}`,
        en: `The ${piece.name.en} uses the forbidden term "${rule.term}"${times.en}: ${form ? `use "${form}" instead` : 'rewrite it'}${why.en}`,
      },
    }
  }
  return {
    code: 'term_suggested',
    severity: 'warn',
    field: piece.field,
    message: {
      zh: `${piece.name.zh}中的“${rule.term}”${times.zh}${form ? `建议改为“${form}”` : '请斟酌'}${why.zh}`,
      en: `The ${piece.name.en} uses "${rule.term}"${times.en}: ${form ? `"${form}" is preferred` : 'consider rewording'}${why.en}`,
    },
  }
}
