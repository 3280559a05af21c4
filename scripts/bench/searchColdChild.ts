import { poolOf } from '../../cms/db/pool.ts'
import { reindexAllStories } from '../../cms/publishing/search/searchEntries.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/**
 * The cold search index on the benchmark's database: every entry removed, then every live
 * story indexed afresh (as the search_index migration does). Prints its time, the entries and
 * the table's size on disk (GIN index included) as one JSON line.
 */
runCli(async () => {
  const payload = await loadMigratedPayload()
  try {
    const pool = poolOf(payload)
    await pool.query('delete from search_entries')
    await pool.query('vacuum search_entries')
    const started = performance.now()
    const stories = await reindexAllStories({ payload })
    const ms = Math.round(performance.now() - started)
    const { rows } = await pool.query<{ table: string; index: string }>(
      `select pg_total_relation_size('search_entries') as table, pg_relation_size('search_entries_tokens_idx') as index`,
    )
    console.log(
      JSON.stringify({
        ms,
        stories,
        tableMb: Number(rows[0]?.table) / 2 ** 20,
        ginMb: Number(rows[0]?.index) / 2 ** 20,
      }),
    )
  } finally {
    await closePayload(payload)
  }
})
