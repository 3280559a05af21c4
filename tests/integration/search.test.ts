import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LexicalNode } from '../../cms/channels/lexical/nodes.ts'
import { lexicalToText } from '../../cms/channels/lexical/toText.ts'
import { poolOf } from '../../cms/db/pool.ts'
import type { Story } from '../../cms/payload-types.ts'
import { indexSearchIfIncomplete } from '../../cms/publishing/search/searchEntries.ts'
import { SEARCH_STATEMENT_TIMEOUT_MS, searchStories } from '../../cms/publishing/search/searchQuery.ts'
import { demoStories } from '../../cms/seed/content/stories.ts'
import { demoBodyToLexical } from '../../cms/seed/lexical.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { draftStory, publishedStory, withdrawStory } from '../helpers/siteStories.ts'
import { startTestKitchen, type TestKitchen } from '../helpers/testPayload.ts'

/**
 * Search against the kitchen's index: a generated corpus (300 stories of the demo's
 * paragraphs) and 400 random 2–4 字 terms drawn from it, each of which must find exactly the
 * stories holding it; ranking; and stories that are not public never found, not even before
 * their entry is gone.
 */

const CORPUS = 300
const TERMS = 400

let kitchen: TestKitchen
let payload: Payload
let section: number
/** Each corpus story's address and the text search is asked to hold: title and body. */
const corpus: { path: string; text: string }[] = []

beforeAll(async () => {
  kitchen = await startTestKitchen()
  payload = kitchen.payload
  section = (
    await payload.create({ collection: collectionSlugs.sections, data: { name: '搜索测试', order: 1 } })
  ).id
  const paragraphs = demoStories.flatMap((story) => story.body).filter((block) => 'p' in block)
  const random = seeded(20)
  for (let n = 0; n < CORPUS; n += 1) {
    const blocks = Array.from({ length: 2 + Math.floor(random() * 6) }, () => pick(paragraphs, random))
    const body = demoBodyToLexical({ blocks, imageIds: () => 0 }) as unknown as Story['body']
    const title = `${hanziOf(pick(paragraphs, random).p).slice(0, 6 + Math.floor(random() * 8))}（${n}）`
    const story = await publishedStory({
      payload,
      title,
      section,
      body,
      publishedAt: new Date(Date.UTC(2025, 0, 1) + n * 3_600_000),
    })
    corpus.push({
      path: `/stories/${story.slug}/`,
      text: `${title}\n${lexicalToText({ root: body?.root as LexicalNode | undefined })}`,
    })
  }
}, 600_000)

afterAll(async () => {
  await kitchen?.cleanup()
})

describe('recall over a generated corpus', () => {
  it(`finds every story holding each of ${TERMS} random 2–4 字 terms, and only those`, async () => {
    const random = seeded(7)
    let found = 0
    let expected = 0
    const misses: string[] = []
    for (let n = 0; n < TERMS; n += 1) {
      const term = randomTerm(pick(corpus, random).text, random)
      const holding = new Set(corpus.filter((story) => story.text.includes(term)).map((story) => story.path))
      const answer = await searchStories({ payload, term, pageSize: CORPUS })
      const paths = new Set(answer.hits.map((hit) => hit.path))
      expect(answer.total).toBe(paths.size)
      for (const path of holding)
        if (paths.has(path)) found += 1
        else misses.push(`${term} → ${path}`)
      expected += holding.size
      // Precision too: nothing without the term.
      expect([...paths].filter((path) => !holding.has(path))).toEqual([])
    }
    expect(misses).toEqual([])
    expect(found / expected).toBe(1)
  }, 300_000)

  it('pages through the answer in its order, a page read only as far as it needs', async () => {
    const random = seeded(11)
    const pageSize = 7
    for (let n = 0; n < 30; n += 1) {
      const term = randomTerm(pick(corpus, random).text, random)
      const whole = await searchStories({ payload, term, pageSize: CORPUS })
      expect(whole.isTotalExact).toBe(true)
      const paged: string[] = []
      for (let page = 1; (page - 1) * pageSize < whole.hits.length; page += 1) {
        const answer = await searchStories({ payload, term, page, pageSize })
        paged.push(...answer.hits.map((hit) => hit.path))
        // An estimate is never below what the pages so far have shown.
        if (answer.isTotalExact) expect(answer.total).toBe(whole.total)
        else expect(answer.total).toBeGreaterThanOrEqual(paged.length)
      }
      expect(paged).toEqual(whole.hits.map((hit) => hit.path))
    }
  }, 300_000)
})

describe('a term most stories hold', () => {
  it('gets the same pages by walking the stories newest first as by checking every candidate', async () => {
    const random = seeded(13)
    let walkedTerms = 0
    for (let n = 0; n < 40; n += 1) {
      const term = randomTerm(pick(corpus, random).text, random)
      for (const page of [1, 2]) {
        const checked = await searchStories({ payload, term, page, pageSize: 7, walkAbove: Infinity })
        const walked = await searchStories({ payload, term, page, pageSize: 7, walkAbove: 0 })
        expect(walked.hits).toEqual(checked.hits)
        if (walked.isTotalExact) {
          // A walk that did not fill the page gave way to the full check.
          expect(walked.total).toBe(checked.total)
        } else {
          // The walk counts candidates, not hits: an estimate, never below what is found.
          expect(walked.total).toBeGreaterThanOrEqual(page * 7)
          walkedTerms += 1
        }
      }
    }
    expect(walkedTerms).toBeGreaterThan(20)
  })

  it('says a total that counts no story still under embargo', async () => {
    const embargoed = await embargoedStory({ title: '禁发期内的稿件', words: '社区剪纸课堂开课。' })
    for (const n of [1, 2, 3])
      await publishedStory({ payload, title: `街道新闻（${n}）`, section, body: body('社区剪纸课堂开课。') })
    const walked = await searchStories({ payload, term: '剪纸课堂', pageSize: 1, walkAbove: 0 })
    expect(walked.isTotalExact).toBe(false)
    expect(walked.hits).toHaveLength(1)
    expect(walked.total).toBe(3)
    await withdrawStory({ payload, id: embargoed.id })
  })

  it('leaves out a story withdrawn before its entry is removed, walking too', async () => {
    const story = await publishedStory({ payload, title: '花丝镶嵌工坊', section })
    const walk = async () =>
      (await searchStories({ payload, term: '花丝镶嵌', walkAbove: 0 })).hits.map((hit) => hit.title)
    expect(await walk()).toEqual([story.title])
    await poolOf(payload).query(`update stories set stage = 'withdrawn' where id = $1`, [story.id])
    expect(await walk()).toEqual([])
    // The index catches up, as a withdrawal's own save does (a later test counts the entries).
    await poolOf(payload).query('delete from search_entries where story_id = $1', [story.id])
  })
})

describe('ranking', () => {
  it('puts title hits first, then newer before older', async () => {
    const term = '琉璃瓦匠'
    const oldInTitle = await publishedStory({
      payload,
      title: `老${term}的手艺`,
      section,
      publishedAt: new Date('2024-01-01T00:00:00Z'),
    })
    const olderInBody = await publishedStory({
      payload,
      title: '屋顶上的人们',
      section,
      body: body(`城里最后一位${term}说起往事。`),
      publishedAt: new Date('2024-02-01T00:00:00Z'),
    })
    const newerInBody = await publishedStory({
      payload,
      title: '古建修缮记',
      section,
      body: body(`修缮队请来了${term}。`),
      publishedAt: new Date('2024-03-01T00:00:00Z'),
    })
    const answer = await searchStories({ payload, term })
    expect(answer.hits.map((hit) => hit.title)).toEqual([
      oldInTitle.title,
      newerInBody.title,
      olderInBody.title,
    ])
    const [first, second] = answer.hits
    expect(first?.section).toEqual({ name: '搜索测试', path: expect.stringMatching(/^\/sections\/.+\/$/) })
    expect(first?.date).toBe('2024-01-01T00:00:00.000Z')
    expect(second?.excerpt).toBe(`修缮队请来了<mark>${term}</mark>。`)
  })

  it('escapes the excerpt and marks every occurrence', async () => {
    await publishedStory({
      payload,
      title: '标点测试',
      section,
      body: body('<b>锔瓷</b> & 锔瓷匠人'),
    })
    const [hit] = (await searchStories({ payload, term: '锔瓷' })).hits
    expect(hit?.excerpt).toBe('&lt;b&gt;<mark>锔瓷</mark>&lt;/b&gt; &amp; <mark>锔瓷</mark>匠人')
  })
})

describe('only what the public may read', () => {
  it('drops a withdrawn story at once', async () => {
    const story = await publishedStory({ payload, title: '撤稿之前的錾刻铜器', section })
    expect(await titlesFor('錾刻铜器')).toEqual([story.title])
    await withdrawStory({ payload, id: story.id })
    expect(await titlesFor('錾刻铜器')).toEqual([])
  })

  it('drops a story withdrawn before its entry is removed (checked at query time)', async () => {
    const story = await publishedStory({ payload, title: '景泰蓝掐丝工坊', section })
    expect(await titlesFor('掐丝')).toEqual([story.title])
    // As if the index lagged: the story's row changes, its entry stays.
    await poolOf(payload).query(`update stories set stage = 'withdrawn' where id = $1`, [story.id])
    const { rows } = await poolOf(payload).query('select 1 from search_entries where story_id = $1', [
      story.id,
    ])
    expect(rows).toHaveLength(1)
    expect(await titlesFor('掐丝')).toEqual([])
  })

  it('never returns a draft, and keeps the live text while a draft is saved over it', async () => {
    await draftStory({ payload, title: '尚未发表的漆器稿', section })
    expect(await titlesFor('漆器')).toEqual([])
    const live = await publishedStory({ payload, title: '竹编艺人的一天', section })
    await payload.update({
      collection: collectionSlugs.stories,
      id: live.id,
      data: { title: '竹编艺人的草稿标题' },
      draft: true,
      context: { isSeed: true },
    })
    expect(await titlesFor('竹编艺人')).toEqual(['竹编艺人的一天'])
    expect(await titlesFor('草稿标题')).toEqual([])
  })

  it('keeps an embargoed story hidden until its embargo ends', async () => {
    const story = await embargoedStory({ title: '禁发期内的木版年画', words: '木版年画。' })
    expect(await titlesFor('木版年画')).toEqual([])
    await poolOf(payload).query(
      `update stories set embargo_until = now() - interval '1 second' where id = $1`,
      [story.id],
    )
    expect(await titlesFor('木版年画')).toEqual([story.title])
  })
})

describe('the cold index', () => {
  it('indexes every live story when search holds none, leaving out the rest', async () => {
    const pool = poolOf(payload)
    const before = await pool.query('select story_id, tokens from search_entries order by story_id')
    await pool.query('delete from search_entries')
    expect(await titlesFor('琉璃瓦匠')).toEqual([])
    // As a process loading Payload does, after the search_index migration made the table.
    const indexed = await indexSearchIfIncomplete({ payload })
    const after = await pool.query('select story_id, tokens from search_entries order by story_id')
    // The story withdrawn behind the index's back (above) is left out this time.
    expect(after.rows).toEqual(
      before.rows.filter((row) => after.rows.some((r) => r.story_id === row.story_id)),
    )
    expect(after.rows).toHaveLength(before.rows.length - 1)
    expect(indexed).toBe(after.rows.length)
    expect(await titlesFor('琉璃瓦匠')).toHaveLength(3)
    // Not empty any more: nothing to do.
    expect(await indexSearchIfIncomplete({ payload })).toBe(0)
  })

  it('finishes a first index killed partway: entries there but no mark of completion', async () => {
    const pool = poolOf(payload)
    const before = await pool.query('select story_id, tokens from search_entries order by story_id')
    expect(before.rows.length).toBeGreaterThan(2)
    // As a first index killed after its first batches: some entries written, the mark never.
    const missing = before.rows.slice(1).map((row) => row.story_id as number)
    await pool.query('delete from search_entries where story_id = any($1)', [missing])
    await pool.query('delete from search_index_state')
    expect(await titlesFor('琉璃瓦匠')).not.toHaveLength(3)
    // As the next process loading Payload does.
    expect(await indexSearchIfIncomplete({ payload })).toBe(missing.length)
    const after = await pool.query('select story_id, tokens from search_entries order by story_id')
    expect(after.rows).toEqual(before.rows)
    expect(await titlesFor('琉璃瓦匠')).toHaveLength(3)
    const { rows } = await pool.query('select count(*)::int as n from search_index_state')
    expect(rows[0].n).toBe(1)
    // Complete now: nothing to do.
    expect(await indexSearchIfIncomplete({ payload })).toBe(0)
  })
})

describe('GET /api/search', () => {
  it('answers 503 with a reason when the search runs past its statement timeout', async () => {
    // A reindex's lock (or a flood of slow queries) holds the table: the search's statement
    // waits until Postgres cancels it at the timeout, and the connection goes back to the pool.
    const locker = await poolOf(payload).connect()
    try {
      await locker.query('begin')
      await locker.query('lock table search_entries in access exclusive mode')
      const response = await searchApi('?q=琉璃瓦匠')
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('5')
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      const refusal = (await response.json()) as { error: string; reason: string }
      expect(refusal.error).toBe('unavailable')
      expect(refusal.reason).toContain(`${SEARCH_STATEMENT_TIMEOUT_MS / 1000} s`)
    } finally {
      await locker.query('rollback')
      locker.release()
    }
    expect((await searchApi('?q=琉璃瓦匠')).status).toBe(200)
  })

  it('answers JSON any origin may read and a cache may keep a few seconds', async () => {
    const response = await searchApi('?q=琉璃瓦匠')
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=5')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const answer = (await response.json()) as { total: number; hits: { title: string; path: string }[] }
    expect(answer.total).toBe(3)
    expect(answer.hits[0]?.path).toMatch(/^\/stories\/.+\/$/)
    expect(response.headers.get('set-cookie')).toBeNull()
  })

  it.each([
    ['no term', '', 'bad_request'],
    ['an empty term', '?q=', 'bad_request'],
    ['only spaces', '?q=%20%20', 'bad_request'],
    ['only punctuation', '?q=%EF%BC%8C%E3%80%82', 'bad_request'],
    ['a 200-character term', `?q=${encodeURIComponent('工'.repeat(200))}`, 'bad_request'],
    ['page 0', '?q=%E5%B7%A5%E5%8C%A0&page=0', 'bad_page'],
    ['a page that is no number', '?q=%E5%B7%A5%E5%8C%A0&page=x', 'bad_page'],
    ['a page too deep', '?q=%E5%B7%A5%E5%8C%A0&page=51', 'bad_page'],
  ])('refuses %s with a 400 and its reason', async (_what, query, code) => {
    const response = await searchApi(query)
    expect(response.status).toBe(400)
    const refusal = (await response.json()) as { error: string; reason: string; reasonZh: string }
    expect(refusal.error).toBe(code)
    expect(refusal.reason).toBeTruthy()
    expect(refusal.reasonZh).toBeTruthy()
  })
})

const titlesFor = async (term: string) =>
  (await searchStories({ payload, term })).hits.map((hit) => hit.title)

const searchApi = (query: string) =>
  kitchen.api.rest.GET(new Request(`http://localhost/api/search${query}`), {
    params: Promise.resolve({ slug: ['search'] }),
  })

/** A story published with an embargo an hour from now (its entry kept, hidden until then). */
function embargoedStory({ title, words }: { title: string; words: string }) {
  return payload.create({
    collection: collectionSlugs.stories,
    data: {
      title,
      section,
      body: body(words),
      stage: 'published',
      _status: 'published',
      publishedAt: new Date().toISOString(),
      embargoUntil: new Date(Date.now() + 3_600_000).toISOString(),
    },
    context: { isSeed: true },
  })
}

const body = (words: string) =>
  demoBodyToLexical({ blocks: [{ p: words }], imageIds: () => 0 }) as unknown as Story['body']

/** A random run of 2–4 汉字 from `text`. */
function randomTerm(text: string, random: () => number): string {
  const runs = text.match(/\p{Script=Han}{2,}/gu) ?? []
  const run = Array.from(pick(runs, random))
  const length = Math.min(run.length, 2 + Math.floor(random() * 3))
  const start = Math.floor(random() * (run.length - length + 1))
  return run.slice(start, start + length).join('')
}

const hanziOf = (text: string) => (text.match(/\p{Script=Han}/gu) ?? []).join('')

const pick = <T>(list: T[], random: () => number): T => list[Math.floor(random() * list.length)] as T

/** mulberry32: the same corpus and terms on every run. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
