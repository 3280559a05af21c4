/**
 * The search page's script: reads `?q=` (so the form works as a plain GET), asks the kitchen's
 * search endpoint (the form's `data-search-api`: `/api/search` on the site's own origin unless
 * the build was told another) and lists the hits as links with their date, section and
 * excerpt. Everything is set as text; the excerpt's only markup, `<mark>` around the term, is
 * made into elements here, never parsed as HTML.
 */
import { chineseDate } from './format.ts'

type SearchHit = {
  title: string
  path: string
  date: string
  section: { name: string; path: string } | null
  excerpt: string
}
type SearchAnswer = { total: number; isTotalExact?: boolean; hits: SearchHit[] }

export async function runSearch(): Promise<void> {
  const form = document.querySelector<HTMLFormElement>('form.search')
  const input = document.querySelector<HTMLInputElement>('#q')
  const status = document.querySelector<HTMLElement>('#search-status')
  const list = document.querySelector<HTMLOListElement>('#search-results')
  const term = new URLSearchParams(window.location.search).get('q')?.trim() ?? ''
  if (!form || !input || !status || !list || term === '') return
  input.value = term
  status.textContent = '正在搜索…'
  const api = form.dataset.searchApi || '/api/search'
  const response = await fetch(`${api}?q=${encodeURIComponent(term)}`).catch(() => null)
  if (!response?.ok) {
    const refusal = response
      ? ((await response.json().catch(() => null)) as { reasonZh?: string } | null)
      : null
    status.textContent = refusal?.reasonZh ?? '搜索暂时不可用，请稍后再试'
    return
  }
  const { total, isTotalExact, hits } = (await response.json()) as SearchAnswer
  // A large total is estimated by the kitchen (`isTotalExact: false`): said as 约 N 篇.
  const count = isTotalExact === false ? `约 ${total}` : `${total}`
  status.textContent = total ? `找到 ${count} 篇含“${term}”的稿件` : `没有找到含“${term}”的稿件`
  list.replaceChildren(...hits.map(hitItem))
}

function hitItem(hit: SearchHit): HTMLLIElement {
  const item = document.createElement('li')
  const link = document.createElement('a')
  link.href = hit.path
  link.textContent = hit.title
  const meta = document.createElement('p')
  meta.className = 'meta'
  const time = document.createElement('time')
  time.dateTime = hit.date
  time.textContent = chineseDate(hit.date)
  meta.append(time)
  if (hit.section) {
    const section = document.createElement('a')
    section.href = hit.section.path
    section.textContent = hit.section.name
    meta.append(' · ', section)
  }
  const excerpt = document.createElement('p')
  excerpt.append(...excerptNodes(hit.excerpt))
  item.append(link, meta, excerpt)
  return item
}

/** The endpoint's excerpt (escaped text, the term in `<mark>`) as text nodes and mark elements. */
function excerptNodes(excerpt: string): Node[] {
  return excerpt.split(/(<mark>.*?<\/mark>)/).map((part) => {
    const marked = /^<mark>(.*)<\/mark>$/.exec(part)
    if (!marked) return document.createTextNode(decodeEntities(part))
    const mark = document.createElement('mark')
    mark.textContent = decodeEntities(marked[1] ?? '')
    return mark
  })
}

const decodeEntities = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
