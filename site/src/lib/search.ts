/**
 * The search page's script: reads `?q=` (so the form works as a plain GET), asks the
 * Pagefind index built over the site, and lists the hits. Text is set as text, never HTML,
 * but for Pagefind's excerpt, whose only markup is its own `<mark>` around matches.
 */
type PagefindResult = { data: () => Promise<{ url: string; meta: { title?: string }; excerpt: string }> }
type Pagefind = { search: (term: string) => Promise<{ results: PagefindResult[] }> }

const MAX_RESULTS = 20

export async function runSearch(): Promise<void> {
  const input = document.querySelector<HTMLInputElement>('#q')
  const status = document.querySelector<HTMLElement>('#search-status')
  const list = document.querySelector<HTMLOListElement>('#search-results')
  const term = new URLSearchParams(window.location.search).get('q')?.trim() ?? ''
  if (!input || !status || !list || term === '') return
  input.value = term
  status.textContent = '正在搜索…'
  const pagefindUrl = '/pagefind/pagefind.js'
  const pagefind = (await import(/* @vite-ignore */ pagefindUrl)) as Pagefind
  const { results } = await pagefind.search(term)
  const hits = await Promise.all(results.slice(0, MAX_RESULTS).map((result) => result.data()))
  status.textContent = hits.length
    ? `找到 ${results.length} 篇与“${term}”有关的稿件`
    : `没有找到与“${term}”有关的稿件`
  list.replaceChildren(
    ...hits.map((hit) => {
      const item = document.createElement('li')
      const link = document.createElement('a')
      link.href = hit.url
      link.textContent = hit.meta.title ?? hit.url
      const excerpt = document.createElement('p')
      excerpt.innerHTML = sanitizeExcerpt(hit.excerpt)
      item.append(link, excerpt)
      return item
    }),
  )
}

/** Keeps Pagefind's `<mark>` and escapes everything else. */
function sanitizeExcerpt(excerpt: string): string {
  const escaped = excerpt.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return escaped.replace(/&lt;mark&gt;/g, '<mark>').replace(/&lt;\/mark&gt;/g, '</mark>')
}
