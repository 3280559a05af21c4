/**
 * The search page's script: reads `?q=` (so the form works as a plain GET, and links to
 * `/search/?q=<term>` open with their results), answers the form in place (the address still
 * becomes `/search/?q=<term>`; going back shows the earlier search), asks the kitchen's
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

export function runSearch(): void {
  const form = document.querySelector<HTMLFormElement>('form.search')
  const input = document.querySelector<HTMLInputElement>('#q')
  const status = document.querySelector<HTMLElement>('#search-status')
  const list = document.querySelector<HTMLOListElement>('#search-results')
  if (!form || !input || !status || !list) return
  const page = { form, input, status, list }
  let asking: AbortController | null = null
  const show = (term: string) => {
    asking?.abort()
    asking = new AbortController()
    void showResults({ ...page, term, signal: asking.signal })
  }
  // A search from the form is answered in place: the address becomes /search/?q=<term> as a
  // plain GET would make it (to bookmark, share or go back to), without loading the page again.
  form.addEventListener('submit', (event) => {
    const term = input.value.trim()
    if (term === '') return
    event.preventDefault()
    history.pushState(
      null,
      '',
      `${form.getAttribute('action') ?? location.pathname}?q=${encodeURIComponent(term)}`,
    )
    show(term)
  })
  window.addEventListener('popstate', () => show(termOfAddress()))
  const term = termOfAddress()
  if (term !== '') show(term)
}

const termOfAddress = () => new URLSearchParams(window.location.search).get('q')?.trim() ?? ''

/** Asks for `term` and lists its hits; an answer overtaken by a newer search (aborted) is dropped. */
async function showResults({
  form,
  input,
  status,
  list,
  term,
  signal,
}: {
  form: HTMLFormElement
  input: HTMLInputElement
  status: HTMLElement
  list: HTMLOListElement
  term: string
  signal: AbortSignal
}): Promise<void> {
  input.value = term
  list.replaceChildren()
  if (term === '') {
    status.textContent = ''
    return
  }
  status.textContent = '正在搜索…'
  const api = form.dataset.searchApi || '/api/search'
  try {
    const response = await fetch(`${api}?q=${encodeURIComponent(term)}`, { signal })
    if (!response.ok) {
      const refusal = (await response.json().catch(() => null)) as { reasonZh?: string } | null
      if (!signal.aborted) status.textContent = refusal?.reasonZh ?? UNAVAILABLE
      return
    }
    const { total, isTotalExact, hits } = (await response.json()) as SearchAnswer
    if (signal.aborted) return
    // A large total is estimated by the kitchen (`isTotalExact: false`): said as 约 N 篇.
    const count = isTotalExact === false ? `约 ${total}` : `${total}`
    status.textContent = total ? `找到 ${count} 篇含“${term}”的稿件` : `没有找到含“${term}”的稿件`
    list.replaceChildren(...hits.map(hitItem))
  } catch {
    if (!signal.aborted) status.textContent = UNAVAILABLE
  }
}

const UNAVAILABLE = '搜索暂时不可用，请稍后再试'

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
