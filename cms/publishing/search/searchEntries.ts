import { sql } from '@payloadcms/db-postgres'
import type { Payload, PayloadRequest, Where } from 'payload'
import type { LexicalNode } from '../../channels/lexical/nodes.ts'
import { lexicalToText } from '../../channels/lexical/toText.ts'
import { requestDb, type SqlRunner } from '../../db/requestDb.ts'
import type { Story } from '../../payload-types.ts'
import { collectionSlugs } from '../../slugs.ts'
import { liveStages } from '../../workflow/stages.ts'
import { textTokens } from './searchTerms.ts'

/**
 * One live story as search keeps it (table `search_entries`, see the search_index migration):
 * its plain title and text, where it lives on the site, and the tokens of both (GIN-indexed).
 * Entries are written where a story goes live and removed where it leaves; a query still
 * checks each hit against the story's current state, so an entry never outlives its story.
 */
export interface SearchEntry {
  storyId: number
  title: string
  /** Subtitle, summary and body as plain text, paragraphs apart. */
  body: string
  slug: string
  sectionId: number | null
  /** ISO time: the site's date of the story. */
  publishedAt: string
  tokens: string[]
}

type IndexedStory = Pick<
  Story,
  'id' | 'title' | 'subtitle' | 'summary' | 'body' | 'slug' | 'section' | 'publishedAt' | 'createdAt'
>

/** Whether the kitchen's row of a story is one search may hold (its embargo is checked when asked). */
export const isLive = (story: Pick<Story, '_status' | 'stage'>) =>
  story._status === 'published' && !!story.stage && liveStages.includes(story.stage)

export function searchEntryOf(story: IndexedStory): SearchEntry {
  const title = story.title.trim()
  const body = [
    story.subtitle?.trim() ?? '',
    story.summary?.trim() ?? '',
    lexicalToText({ root: story.body?.root as LexicalNode | undefined }),
  ]
    .filter((part) => part !== '')
    .join('\n\n')
  const section = typeof story.section === 'object' ? (story.section?.id ?? null) : (story.section ?? null)
  return {
    storyId: story.id,
    title,
    body,
    slug: story.slug ?? String(story.id),
    sectionId: section,
    publishedAt: new Date(story.publishedAt ?? story.createdAt).toISOString(),
    // Title and body as one text, so a token is there exactly when the text holds it.
    tokens: textTokens(`${title}\n${body}`),
  }
}

/**
 * The kitchen's row `s` of a story is live (published, in a live stage). An embargo is checked
 * when search is asked, not here: the entry waits, hidden, for the embargo to end.
 */
const isLiveRow = sql`(s._status = 'published' and s.stage::text in (select jsonb_array_elements_text(${JSON.stringify(liveStages)}::jsonb)))`

/** Between an entry's tokens on their way to Postgres (U+001F, a control character no token holds). */
const TOKEN_SEPARATOR = '\u001f'

/**
 * Writes (or rewrites) entries in one statement, for the stories whose row is live as the
 * statement runs (a story withdrawn meanwhile is left out); running it twice leaves the same rows.
 */
export async function saveSearchEntries({ db, entries }: { db: SqlRunner; entries: SearchEntry[] }) {
  if (entries.length === 0) return
  const rows = JSON.stringify(
    entries.map((entry) => ({
      story_id: entry.storyId,
      title: entry.title,
      body: entry.body,
      slug: entry.slug,
      section_id: entry.sectionId,
      published_at: entry.publishedAt,
      // One string, split in Postgres: no token holds the unit separator (see textTokens).
      tokens: entry.tokens.join(TOKEN_SEPARATOR),
    })),
  )
  await db.execute(sql`
    insert into search_entries (story_id, title, body, slug, section_id, published_at, tokens)
    select r.story_id, r.title, r.body, r.slug, r.section_id, r.published_at,
           string_to_array(r.tokens, ${TOKEN_SEPARATOR})
    from jsonb_to_recordset(${rows}::jsonb)
      as r(story_id integer, title text, body text, slug text, section_id integer, published_at timestamptz, tokens text)
    join stories s on s.id = r.story_id and ${isLiveRow}
    on conflict (story_id) do update set
      title = excluded.title, body = excluded.body, slug = excluded.slug, section_id = excluded.section_id,
      published_at = excluded.published_at, tokens = excluded.tokens, indexed_at = now()`)
}

/**
 * Brings a story's entry in line with its row in the kitchen, inside the caller's
 * transaction (the change and its entry commit or roll back together): written from `doc`
 * when `doc` is what went live, removed when the row is no longer live. A draft saved over a
 * live story leaves the live entry alone. One statement either way; idempotent.
 */
export async function syncSearchEntry({
  db,
  doc,
}: {
  db: SqlRunner
  doc: IndexedStory & Pick<Story, '_status' | 'stage'>
}): Promise<void> {
  if (isLive(doc)) await saveSearchEntries({ db, entries: [searchEntryOf(doc)] })
  else await removeUnlessLive({ db, storyId: doc.id })
}

async function removeUnlessLive({ db, storyId }: { db: SqlRunner; storyId: number }) {
  await db.execute(sql`
    delete from search_entries e using stories s
    where e.story_id = ${storyId} and s.id = e.story_id and not ${isLiveRow}`)
}

/**
 * Completes search's index of the live stories unless a full run has completed (a row in
 * `search_index_state`, see the search_index_state migration): the table just made by the
 * search_index migration, or a first run killed partway, which left some entries and no mark.
 * Only the live stories the table is missing are indexed then; a table emptied by hand while
 * stories are live is indexed afresh. Run as a process loads Payload; two processes doing it
 * at once write the same rows. Returns the stories indexed.
 */
export async function indexSearchIfIncomplete({ payload }: { payload: Payload }): Promise<number> {
  const db = await requestDb({ payload })
  const { rows } = await db.execute(sql`
    select exists (select 1 from search_entries) as "hasEntries",
           exists (select 1 from stories s where ${isLiveRow}) as "hasLive",
           exists (select 1 from search_index_state) as "isComplete"`)
  const state = rows[0] as { hasEntries: boolean; hasLive: boolean; isComplete: boolean } | undefined
  // An index a cold run dropped and did not live to make again is made now.
  await db.execute(sql.raw(CREATE_GIN))
  if (!state) return 0
  if (state.isComplete && (state.hasEntries || !state.hasLive)) return 0
  return reindexAllStories({ payload, onlyMissing: true })
}

const CREATE_GIN = 'create index if not exists search_entries_tokens_idx on search_entries using gin (tokens)'

const COLD_BATCH = 200

/**
 * Indexes every live story afresh (a new database, a restore, a change of tokenizer) and
 * removes entries of stories no longer live. Batch by batch, each its own statement: search
 * keeps answering meanwhile, and memory stays that of one batch. Into an empty table the GIN
 * index is dropped first and made once at the end (one sorted build instead of a posting-list
 * update for each of a story's thousands of tokens). With `onlyMissing`, only the live stories
 * without an entry are indexed (what a run killed partway left out). Once done it marks the
 * index complete (`search_index_state`). Returns the stories indexed.
 */
export async function reindexAllStories({
  payload,
  req,
  onlyMissing = false,
  onBatch,
}: {
  payload: Payload
  /** A request whose transaction the work joins. */
  req?: PayloadRequest
  /** Index only the live stories search holds no entry for. */
  onlyMissing?: boolean
  onBatch?: (done: number, total: number) => void
}): Promise<number> {
  const db = await requestDb({ payload, req })
  const { rows } = await db.execute(sql`select exists (select 1 from search_entries) as "hasEntries"`)
  const isCold = !(rows[0] as { hasEntries: boolean } | undefined)?.hasEntries
  if (isCold) await db.execute(sql`drop index if exists search_entries_tokens_idx`)
  const where: Where = { and: [{ _status: { equals: 'published' } }, { stage: { in: [...liveStages] } }] }
  const { docs: listed } = await payload.db.find<{ id: number }>({
    collection: collectionSlugs.stories,
    where,
    select: {},
    pagination: false,
    limit: 0,
    sort: 'id',
    req,
  })
  const ids = onlyMissing && !isCold ? await withoutEntries({ db, ids: listed }) : listed
  const read = (at: number) =>
    payload.db.find<IndexedStory & Pick<Story, '_status' | 'stage'>>({
      collection: collectionSlugs.stories,
      where: { and: [where, { id: { in: ids.slice(at, at + COLD_BATCH).map((doc) => doc.id) } }] },
      select: {
        title: true,
        subtitle: true,
        summary: true,
        body: true,
        slug: true,
        section: true,
        publishedAt: true,
        createdAt: true,
        _status: true,
        stage: true,
      },
      pagination: false,
      limit: 0,
      req,
    })
  // One batch read ahead: Postgres reads the next stories while this process tokenizes and
  // writes the last (two cores busy instead of one).
  let reading = ids.length > 0 ? read(0) : null
  for (let at = 0; reading; at += COLD_BATCH) {
    const { docs } = await reading
    reading = at + COLD_BATCH < ids.length ? read(at + COLD_BATCH) : null
    await saveSearchEntries({ db, entries: docs.map((doc) => searchEntryOf(doc)) })
    onBatch?.(Math.min(at + COLD_BATCH, ids.length), ids.length)
  }
  // As the stories are now, not as they were listed: a story published meanwhile keeps its entry.
  await db.execute(
    sql`delete from search_entries e using stories s where s.id = e.story_id and not ${isLiveRow}`,
  )
  if (isCold) await db.execute(sql.raw(CREATE_GIN))
  // Fresh statistics: the planner then knows how common each token is.
  await db.execute(sql`analyze search_entries`)
  await db.execute(sql`
    insert into search_index_state (id, completed_at) values (true, now())
    on conflict (id) do update set completed_at = excluded.completed_at`)
  return ids.length
}

/** Of the stories `ids`, those search holds no entry for. */
async function withoutEntries({ db, ids }: { db: SqlRunner; ids: { id: number }[] }) {
  const { rows } = await db.execute(sql`select story_id from search_entries`)
  const indexed = new Set((rows as { story_id: number }[]).map((row) => row.story_id))
  return ids.filter((doc) => !indexed.has(doc.id))
}
