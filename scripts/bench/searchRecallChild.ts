import { poolOf } from '../../cms/db/pool.ts'
import { searchStories } from '../../cms/publishing/search/searchQuery.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/**
 * `searchRecallChild.ts <terms>`: that many random 2–4 汉字 terms drawn from random live
 * stories; for each, the stories search returns against those holding it (found by one plain
 * scan of every live story's title and text for all the terms, no index). Prints recall
 * (found / holding) and precision as JSON.
 */
runCli(async () => {
  const count = Number(process.argv[2] ?? 300)
  const payload = await loadMigratedPayload()
  try {
    const pool = poolOf(payload)
    const { rows } = await pool.query<{ title: string; body: string }>(
      `select title, body from search_entries order by random() limit $1`,
      [count],
    )
    const terms = [...new Set(rows.map((row) => randomTerm(`${row.title}\n${row.body}`)))]
    // The truth in one pass over every live story for all the terms (each text unpacked and
    // lowered once): a scan a term took minutes at 100k stories.
    const truth = await pool.query<{ term: string; slug: string }>(
      `select t.term, e.slug
       from search_entries e
       join stories s on s.id = e.story_id
       cross join lateral (select lower(e.title || chr(10) || e.body) as text offset 0) x
       join unnest($1::text[]) as t(term) on strpos(x.text, lower(t.term)) > 0
       where s._status = 'published' and s.stage in ('published', 'corrected')
         and (s.embargo_until is null or s.embargo_until <= now())`,
      [terms],
    )
    let holding = 0
    let found = 0
    let returned = 0
    const holders = new Map<string, string[]>(terms.map((term) => [term, []]))
    for (const row of truth.rows) holders.get(row.term)?.push(row.slug)
    truth.rows.length = 0
    for (const term of terms) {
      const slugs = holders.get(term) ?? []
      // Every hit at once, however long it takes: the check is of what is found, not how fast.
      const answer = await searchStories({ payload, term, pageSize: 1_000_000, timeoutMs: 0 })
      const paths = new Set(answer.hits.map((hit) => hit.path))
      holding += slugs.length
      found += slugs.filter((slug) => paths.has(`/stories/${encodeURIComponent(slug)}/`)).length
      returned += paths.size
    }
    console.log(
      JSON.stringify({
        terms: terms.length,
        holding,
        found,
        returned,
        recall: found / holding,
        precision: found / returned,
      }),
    )
  } finally {
    await closePayload(payload)
  }
})

function randomTerm(text: string): string {
  const runs = text.match(/\p{Script=Han}{2,}/gu) ?? []
  const run = Array.from(runs[Math.floor(Math.random() * runs.length)] ?? '')
  const length = Math.min(run.length, 2 + Math.floor(Math.random() * 3))
  const start = Math.floor(Math.random() * (run.length - length + 1))
  return run.slice(start, start + length).join('')
}
