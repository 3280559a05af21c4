import { pinyin } from 'pinyin-pro'

const MAX_SLUG_LENGTH = 80

/**
 * Turns a (mostly Chinese) title into a URL slug: toneless pinyin syllables and Latin
 * words joined by hyphens, lower-case ASCII only. `劳模风采：王师傅的30年` → `lao-mo-feng-cai-wang-shi-fu-de-30-nian`.
 */
export function pinyinSlug(text: string): string {
  const syllables = pinyin(text.normalize('NFKC'), {
    toneType: 'none',
    type: 'array',
    nonZh: 'consecutive',
    v: true,
  })
  const slug = syllables
    .join('-')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return truncateAtHyphen(slug, MAX_SLUG_LENGTH)
}

/** Adds `-2`, `-3`, … to `base` until `isTaken` says the candidate is free. */
export async function uniqueSlug({
  base,
  isTaken,
}: {
  base: string
  isTaken: (candidate: string) => Promise<boolean>
}): Promise<string> {
  if (!(await isTaken(base))) return base
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${truncateAtHyphen(base, MAX_SLUG_LENGTH - String(suffix).length - 1)}-${suffix}`
    if (!(await isTaken(candidate))) return candidate
  }
}

function truncateAtHyphen(slug: string, max: number): string {
  if (slug.length <= max) return slug
  const cut = slug.slice(0, max)
  const lastHyphen = cut.lastIndexOf('-')
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '')
}
