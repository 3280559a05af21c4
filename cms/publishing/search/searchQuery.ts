import type { Payload } from 'payload'
import type { PoolClient } from 'pg'
import { poolOf } from '../../db/pool.ts'
import { liveStages } from '../../workflow/stages.ts'
import { storyPath } from '../plate/plateStory.ts'
import { highlightExcerpt } from './searchExcerpt.ts'
import { normalizeTerm, termTokens } from './searchTerms.ts'

export const SEARCH_PAGE_SIZE = 20
/** Deeper pages are refused: nobody reads them, and an offset that deep costs the database. */
export const MAX_SEARCH_PAGE = 50

export interface SearchHit {
  title: string
  /** The story's address on the site (`/stories/<slug>/`). */
  path: string
  /** ISO time of publication. */
  date: string
  section: { name: string; path: string } | null
  /** Plain text around the first hit, HTML-escaped, each occurrence of the term in `<mark>`. */
  excerpt: string
}

export interface SearchAnswer {
  term: string
  page: number
  pageSize: number
  /** How many stories hold the term: exact when `isTotalExact`, otherwise an estimate. */
  total: number
  isTotalExact: boolean
  hits: SearchHit[]
}

/**
 * Below this many candidates past the title hits (stories with all of the term's tokens but
 * not the term in their title) every one is checked, so the total is exact; above it the text
 * is checked only until the page is full, and the total is estimated from what was checked.
 */
export const EXACT_TOTAL_CANDIDATES = 200
/** When no text was checked for the page (all title hits), this many are checked to estimate. */
const ESTIMATE_SAMPLE = 100

/**
 * The live stories holding `term` in their title or text, title hits first, then newer before
 * older. The bigram index narrows the candidates (no text read); each is then checked for the
 * exact term (unless the term is one token, which the index alone decides), and against the
 * story's row as it is now: published, in a live stage, past any embargo. A story withdrawn a
 * moment ago is not returned even if its entry is not yet gone.
 *
 * Reading a story's text (unpacking and scanning it) is what costs, about 0.1 ms a story, so
 * it is read in the order of the answer and only until the page and one more hit are found:
 * the title hits first (titles are short), then the other candidates newest first. What is
 * shown is exact; the total is exact when every candidate was decided (few of them, a term
 * that is one token, or the last page), otherwise estimated from the share of checked texts
 * that hold the term. A term with very many candidates is walked instead (see walkPage): its
 * total is then an estimate.
 */
export async function searchStories({
  payload,
  term: raw,
  page = 1,
  pageSize = SEARCH_PAGE_SIZE,
  now = new Date(),
  timeoutMs = SEARCH_STATEMENT_TIMEOUT_MS,
  walkAbove = WALK_ABOVE_CANDIDATES,
}: {
  payload: Payload
  term: string
  page?: number
  pageSize?: number
  now?: Date
  /** Each statement's limit (0: none, for a check that asks for every hit at once). */
  timeoutMs?: number
  /** Past this many candidates the page is found by walking the stories newest first (see walkPage). */
  walkAbove?: number
}): Promise<SearchAnswer> {
  const term = normalizeTerm(raw)
  const tokens = termTokens(term)
  if (tokens.length === 0) return { term, page, pageSize, total: 0, isTotalExact: true, hits: [] }
  const isDecidedByTokens = tokens.length === 1 && tokens[0] === term
  const needed = page * pageSize + 1
  const { rows, sample, walked } = await withIndexScan({ payload, timeoutMs }, async (client) => {
    const walked = await walkPage({
      client,
      tokens,
      term,
      now,
      isDecidedByTokens,
      needed,
      pageSize,
      walkAbove,
    })
    if (walked) return { rows: walked.rows, sample: undefined, walked }
    const { rows } = await client.query<PageRow>(
      `with entries as materialized (
       select story_id, published_at, section_id, title
       from search_entries where tokens @> $1::text[]
     ), candidates as materialized (
       select e.story_id, e.published_at, e.section_id,
              strpos(lower(e.title), lower($2)) > 0 as in_title
       from entries e
       where ${IS_LIVE_NOW}
     ), tally as (
       select count(*) filter (where in_title) as titled, count(*) as candidates from candidates
     ), walk as (
       select c.* from (
         select candidates.*,
                row_number() over (order by in_title desc, published_at desc, story_id desc) as rank
         from candidates order by rank offset 0
       ) c
       where c.in_title or $5::boolean or ${bodyHolds('c.story_id', term)}
       order by c.rank
       limit (select case when candidates - titled <= $8 then null else $6::bigint end from tally)
     ), shown as (
       select * from walk order by rank limit $7 offset $6::bigint - 1 - $7
     )
     select t.titled, t.candidates,
            (select count(*) from walk) as walked,
            (select count(*) filter (where not in_title) from walk) as text_hits,
            (select max(rank) from walk) as last_rank,
            e.title, e.body, e.slug, shown.published_at, sec.name as section_name, sec.slug as section_slug
     from tally t
     left join shown on true
     left join search_entries e on e.story_id = shown.story_id
     left join sections sec on sec.id = shown.section_id
     order by shown.rank`,
      [tokens, term, [...liveStages], now, isDecidedByTokens, needed, pageSize, EXACT_TOTAL_CANDIDATES],
    )
    const tally = rows[0]
    // The page was all title hits and the text of no other candidate was read: read a few.
    const needsSample =
      tally !== undefined &&
      !isDecidedByTokens &&
      Number(tally.walked) >= needed &&
      Number(tally.text_hits) === 0 &&
      Number(tally.last_rank) <= Number(tally.titled)
    const sample = needsSample
      ? (
          await client.query<{ checked: string; hits: string }>(
            `select count(*) as checked, count(*) filter (where ${bodyHolds('c.story_id', term)}) as hits
           from (select e.story_id from search_entries e
                 where e.tokens @> $1::text[] and strpos(lower(e.title), lower($2)) = 0 and ${IS_LIVE_NOW}
                 order by e.published_at desc, e.story_id desc limit $5) c`,
            [tokens, term, [...liveStages], now, ESTIMATE_SAMPLE],
          )
        ).rows[0]
      : undefined
    return { rows, sample, walked: null }
  })
  const tally = rows[0]
  const { total, isTotalExact } = walked
    ? // Stories holding every token of the term, live or not: an estimate, never below what was found.
      { total: Math.max(walked.candidates, Number(tally?.walked ?? 0)), isTotalExact: false }
    : tally
      ? totalOf({ tally, isDecidedByTokens, needed, sample })
      : { total: 0, isTotalExact: true }
  return {
    term,
    page,
    pageSize,
    total,
    isTotalExact,
    hits: rows.flatMap((row) =>
      row.slug === null || row.title === null || row.body === null || row.published_at === null
        ? []
        : [
            {
              title: row.title,
              path: storyPath(row.slug),
              date: row.published_at.toISOString(),
              section:
                row.section_name && row.section_slug
                  ? { name: row.section_name, path: `/sections/${row.section_slug}/` }
                  : null,
              excerpt: highlightExcerpt({ text: row.body, term }),
            },
          ],
    ),
  }
}

/**
 * Past this many candidates (stories holding every token of the term), checking each of them
 * against its story and sorting them costs more than finding the page in order: 95,246 of
 * 100,000 stories hold 工人, 0.6 s that way.
 */
export const WALK_ABOVE_CANDIDATES = 2000
/**
 * The walk is taken only when it should find the page within about this many stories, and
 * reads no more than this many: past them the candidates are checked one by one instead.
 */
const MAX_WALK = 5000

/**
 * For a term most stories hold: the page found by walking the entries newest first (the
 * `search_entries_newest` index) and stopping once enough are found, title hits first (a walk
 * of titles only), then the others, each checked like any candidate (its text when the tokens
 * do not decide, its story's row as it is now). The work follows the page, not the archive.
 * Null when the term has few candidates (or the page is so deep that the walk would read far
 * more stories than there are candidates): the index's candidates are then checked instead.
 */
async function walkPage({
  client,
  tokens,
  term,
  now,
  isDecidedByTokens,
  needed,
  pageSize,
  walkAbove,
}: {
  client: PoolClient
  tokens: string[]
  term: string
  now: Date
  isDecidedByTokens: boolean
  needed: number
  pageSize: number
  walkAbove: number
}): Promise<{ rows: PageRow[]; candidates: number } | null> {
  const { rows: counted } = await client.query<{ candidates: string; entries: string }>(
    `select count(*) as candidates,
            (select greatest(reltuples, 0) from pg_class where oid = 'search_entries'::regclass) as entries
     from search_entries where tokens @> $1::text[]`,
    [tokens],
  )
  const entries = Math.max(Number(counted[0]?.entries ?? 0), Number(counted[0]?.candidates ?? 0))
  const held = Number(counted[0]?.candidates ?? 0)
  if (held <= walkAbove || (needed * entries) / held > MAX_WALK) return null
  // The total said is of live stories: entries of stories still under embargo (a few, kept
  // hidden until release) are taken off, so that it tells nothing about them.
  await client.query('set local enable_seqscan = on')
  await client.query('set local enable_bitmapscan = off')
  const { rows: waiting } = await client.query<{ embargoed: string }>(
    `select count(*) filter (where (select e.tokens @> $1::text[] from search_entries e where e.story_id = s.id))
       as embargoed
     from stories s where s.embargo_until > $2`,
    [tokens, now],
  )
  const candidates = held - Number(waiting[0]?.embargoed ?? 0)
  type Ranked = { story_id: number; published_at: Date; section_id: number | null }
  // Title hits: every title read in one pass over the table (titles are short and kept in
  // the row), the live ones newest first. A walk in order would read the whole index when
  // few titles hold the term.
  // Bitmap scans back on: each title hit's story is looked up by its key that way (with plain
  // index scans off as well, each look-up would read the whole stories table).
  await client.query('set local enable_seqscan = on')
  await client.query('set local enable_bitmapscan = on')
  await client.query('set local enable_indexscan = off')
  const titled = await client.query<Ranked>(
    `select e.story_id, e.published_at, e.section_id from (
       select e.story_id, e.published_at, e.section_id from search_entries e
       -- $1 (the tokens) only typed: IS_LIVE_NOW's parameters are $3 and $4 in every statement.
       where ${titleHolds('e.title', term)} and $1::text[] is not null
       order by e.published_at desc, e.story_id desc offset 0
     ) e
     where ${IS_LIVE_NOW}
     limit $5`,
    [tokens, term, [...liveStages], now, needed],
  )
  // The others newest first, through the newest-first index (never a read of the whole table:
  // that would unpack every story's tokens), until enough are found. Each is decided by its
  // tokens when they decide the term, else by its text alone: unpacking the tokens first (a
  // few times the text's size) would only add to the text's cost.
  await client.query('set local enable_seqscan = off')
  await client.query('set local enable_bitmapscan = off')
  await client.query('set local enable_indexscan = on')
  const others = await client.query<Ranked>(
    `select e.story_id, e.published_at, e.section_id
     from (select * from search_entries e order by e.published_at desc, e.story_id desc limit $7) e
     where not ${titleHolds('e.title', term)}
       and (case when $5::boolean then e.tokens @> $1::text[] else ${bodyHolds('e.story_id', term)} end)
       and ${IS_LIVE_NOW}
     order by e.published_at desc, e.story_id desc
     limit $6`,
    [tokens, term, [...liveStages], now, isDecidedByTokens, needed - titled.rows.length, MAX_WALK],
  )
  // Not enough within MAX_WALK stories (a phrase rarer than its bigrams), or the last page:
  // the candidates are checked one by one instead, which also makes the total exact.
  if (others.rows.length < needed - titled.rows.length) {
    await client.query('set local enable_seqscan = off')
    await client.query('set local enable_bitmapscan = on')
    return null
  }
  const walked = [...titled.rows, ...others.rows]
  const shown = walked.slice(needed - 1 - pageSize, needed - 1)
  const { rows: details } = await client.query<PageRow & { story_id: number }>(
    `select e.story_id, e.title, e.body, e.slug, e.published_at, sec.name as section_name, sec.slug as section_slug
     from search_entries e left join sections sec on sec.id = e.section_id
     where e.story_id = any($1::int[])`,
    [shown.map((row) => row.story_id)],
  )
  const byId = new Map(details.map((row) => [row.story_id, row]))
  const tally = { titled: String(titled.rows.length), walked: String(walked.length) }
  const rows = shown.flatMap((row) => {
    const detail = byId.get(row.story_id)
    return detail ? [detail] : []
  })
  const none = {
    title: null,
    body: null,
    slug: null,
    published_at: null,
    section_name: null,
    section_slug: null,
  }
  const counts = { ...tally, candidates: String(candidates), text_hits: '0', last_rank: null }
  return {
    rows: rows.length ? rows.map((row) => ({ ...row, ...counts })) : [{ ...none, ...counts }],
    candidates,
  }
}

/**
 * SQL: the story of entry `e` is live as the query runs ($3 the live stages, $4 now): one
 * look-up by primary key per candidate. Written as a scalar subquery, not a join, so that the
 * plan cannot depend on statistics: with the stories table not yet analyzed (autovacuum off,
 * or a bulk load just done) Postgres joined the candidates of a common bigram by scanning them
 * once per story, 48 million comparisons, 6.3 s at 10k stories instead of 40 ms.
 */
const IS_LIVE_NOW = `(select s._status = 'published' and s.stage::text = any($3::text[])
                           and (s.embargo_until is null or s.embargo_until <= $4)
                    from stories s where s.id = e.story_id)`

type PageRow = {
  titled: string
  candidates: string
  walked: string
  text_hits: string
  last_rank: string | null
  title: string | null
  body: string | null
  slug: string | null
  published_at: Date | null
  section_name: string | null
  section_slug: string | null
}

/**
 * SQL: does the text of the story `storyId` hold `term` ($2). A term with no cased letters
 * (Chinese, digits, punctuation) is looked for as it is: lowering 10 kB of text costs more
 * than the search.
 */
function bodyHolds(storyId: string, term: string): string {
  const text = `(select b.body from search_entries b where b.story_id = ${storyId})`
  return isCaseless(term) ? `strpos(${text}, $2) > 0` : `strpos(lower(${text}), lower($2)) > 0`
}

/** SQL: does the title column `title` hold `term` ($2), as bodyHolds decides it for the text. */
function titleHolds(title: string, term: string): string {
  return isCaseless(term) ? `(strpos(${title}, $2) > 0)` : `(strpos(lower(${title}), lower($2)) > 0)`
}

/** No character of `term` has another case, and none is a combining mark (which lowering may make). */
function isCaseless(term: string): boolean {
  return (
    !/\p{M}/u.test(term) &&
    Array.from(term).every((char) => char.toLowerCase() === char && char.toUpperCase() === char)
  )
}

function totalOf({
  tally,
  isDecidedByTokens,
  needed,
  sample,
}: {
  tally: PageRow
  isDecidedByTokens: boolean
  needed: number
  sample: { checked: string; hits: string } | undefined
}): { total: number; isTotalExact: boolean } {
  const titled = Number(tally.titled)
  const candidates = Number(tally.candidates)
  const walked = Number(tally.walked)
  if (isDecidedByTokens) return { total: candidates, isTotalExact: true }
  // Every candidate was checked: there were few, or the walk ran out of them before the page
  // and one more hit were found.
  if (walked < needed || candidates - titled <= EXACT_TOTAL_CANDIDATES)
    return { total: walked, isTotalExact: true }
  const checked = sample ? Number(sample.checked) : Number(tally.last_rank) - titled
  const textHits = sample ? Number(sample.hits) : Number(tally.text_hits)
  const rest = candidates - titled
  const estimate = titled + (checked > 0 ? Math.round((textHits / checked) * rest) : rest)
  return { total: Math.max(estimate, walked), isTotalExact: false }
}

/**
 * The longest a search's statements may run: past it Postgres cancels the statement (a
 * flood of uncached queries, or a table locked by a reindex, then cannot hold the kitchen's
 * pool) and the caller answers 503 (isSearchTimeout).
 */
export const SEARCH_STATEMENT_TIMEOUT_MS = 3000

/** Whether Postgres cancelled a search's statement for running past its timeout. */
export function isSearchTimeout(err: unknown): boolean {
  for (let current = err, depth = 0; current && typeof current === 'object' && depth < 5; depth += 1) {
    if ((current as { code?: unknown }).code === QUERY_CANCELED) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

const QUERY_CANCELED = '57014'

/**
 * Runs `work` in a transaction that reaches the entries through the GIN index, each statement
 * at most `timeoutMs`. For a bigram in
 * most stories the planner prefers reading the table, which unpacks every story's token array
 * (about 1.4 s at 10,000 stories); the index needs no array unpacked (67 ms for the same term).
 */
async function withIndexScan<T>(
  { payload, timeoutMs }: { payload: Payload; timeoutMs: number },
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await poolOf(payload).connect()
  try {
    // One snapshot for every statement of a search (the walk runs several).
    await client.query('begin isolation level repeatable read read only')
    await client.query('set local enable_seqscan = off')
    await client.query(`set local statement_timeout = ${Math.max(0, Math.round(timeoutMs))}`)
    const result = await work(client)
    await client.query('commit')
    return result
  } catch (err) {
    // The connection may be gone with the error: the error is what the caller must hear.
    await client.query('rollback').catch(() => undefined)
    throw err
  } finally {
    client.release()
  }
}
