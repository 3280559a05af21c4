import { poolOf } from '../../cms/db/pool.ts'
import { searchStories } from '../../cms/publishing/search/searchQuery.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/**
 * `searchRecallChild.ts <terms>`: that many random 2–4 汉字 terms drawn from random live
 * stories; for each, the stories search returns against those holding it (a plain scan of
 * every live story's title and text, no index). Prints recall (found / holding) and
 * precision as JSON.
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
    let holding = 0
    let found = 0
    let returned = 0
    for (const row of rows) {
      const term = randomTerm(`${row.title}\n${row.body}`)
      const truth = await pool.query<{ slug: string }>(
        `select e.slug from search_entries e join stories s on s.id = e.story_id
         where s._status = 'published' and s.stage in ('published', 'corrected')
           and (s.embargo_until is null or s.embargo_until <= now())
           and strpos(lower(e.title || chr(10) || e.body), lower($1)) > 0`,
        [term],
      )
      // Every hit at once, however long it takes: the check is of what is found, not how fast.
      const answer = await searchStories({ payload, term, pageSize: 1_000_000, timeoutMs: 0 })
      const paths = new Set(answer.hits.map((hit) => hit.path))
      holding += truth.rows.length
      found += truth.rows.filter((story) => paths.has(`/stories/${encodeURIComponent(story.slug)}/`)).length
      returned += paths.size
    }
    console.log(
      JSON.stringify({
        terms: rows.length,
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
