import type { Payload } from 'payload'
import type { Story } from '../../cms/payload-types.ts'
import { demoBodyToLexical } from '../../cms/seed/lexical.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'
import { benchAdmin, saveApproved } from './benchStories.ts'

/** Titles of the stories the search benchmark publishes start with it (all withdrawn again). */
export const SEARCH_PREFIX = '【基准搜索】'

/** Characters no corpus story holds: a term made of them finds only the story made for it. */
const RARE = '龘靐齉爩麤龖驫鱻灥厵夨纞籱飝'
const POLL_MS = 50
const TIMEOUT_MS = 120_000

/**
 * `searchPublishChild.ts <runs> <search url>`: each run an editor (the bench admin, local API,
 * workflow enforced) publishes a new story whose body holds a term found nowhere else, and
 * asks `<search url>?q=<term>` every 50 ms until the story is in the answer; then withdraws it
 * and asks until it is gone. Prints the times (ms, from the start of each save) as JSON.
 */
runCli(async () => {
  const runs = Number(process.argv[2])
  const searchUrl = String(process.argv[3])
  const payload = await loadMigratedPayload()
  try {
    const user = await benchAdmin(payload)
    const sectionId = (await payload.find({ collection: collectionSlugs.sections, limit: 1, depth: 0 }))
      .docs[0]?.id
    if (!sectionId) throw new Error('the corpus has no section')
    const found: number[] = []
    const gone: number[] = []
    const stamp = Date.now()
    for (let run = 0; run < runs; run += 1) {
      const term = rareTerm(stamp + run)
      if ((await ask({ searchUrl, term })).total !== 0) throw new Error(`"${term}" is already in the corpus`)
      const slug = `bench-search-${stamp}-${run}`
      const id = await approvedStory({
        payload,
        sectionId,
        slug,
        term,
        title: `${SEARCH_PREFIX}${run + 1}`,
      })
      const publishedAt = Date.now()
      await payload.update({
        collection: collectionSlugs.stories,
        id,
        data: { stage: 'published', _status: 'published' },
        user,
        overrideAccess: false,
      })
      await until(async () => (await ask({ searchUrl, term })).hits.some((hit) => hit.path.includes(slug)))
      found.push(Date.now() - publishedAt)
      const withdrawnAt = Date.now()
      await payload.update({
        collection: collectionSlugs.stories,
        id,
        data: {
          stage: 'withdrawn',
          _status: 'published',
          withdrawnReason: '基准测试稿件（benchmark story）',
        },
        user,
        overrideAccess: false,
      })
      await until(async () => (await ask({ searchUrl, term })).total === 0)
      gone.push(Date.now() - withdrawnAt)
      console.error(
        `search: run ${run + 1}/${runs}: found after ${found.at(-1)} ms, gone after ${gone.at(-1)} ms`,
      )
    }
    console.log(JSON.stringify({ found, gone }))
  } finally {
    await closePayload(payload)
  }
})

/** Four characters from RARE, different for each `n`. */
function rareTerm(n: number): string {
  let term = ''
  for (let at = 0, rest = n; at < 4; at += 1, rest = Math.floor(rest / RARE.length))
    term += RARE[rest % RARE.length]
  return term
}

async function ask({ searchUrl, term }: { searchUrl: string; term: string }) {
  const response = await fetch(`${searchUrl}?q=${encodeURIComponent(term)}`)
  if (!response.ok) throw new Error(`search answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as { total: number; hits: { path: string }[] }
}

async function until(condition: () => Promise<boolean>) {
  const deadline = Date.now() + TIMEOUT_MS
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`search did not follow within ${TIMEOUT_MS / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}

/**
 * A new story holding `term` in its body, approved: made as the seed makes its stories (the
 * section's review levels, 初审 to 终审, are signed by different people and are not what this
 * measures); the publish and the withdrawal after it are the admin's, workflow enforced.
 */
async function approvedStory({
  payload,
  sectionId,
  slug,
  term,
  title,
}: {
  payload: Payload
  sectionId: number
  slug: string
  term: string
  title: string
}): Promise<number> {
  const body = demoBodyToLexical({
    blocks: [{ p: `基准测试：编辑发稿后，读者何时能搜到“${term}”。` }],
    imageIds: () => 0,
  }) as unknown as Story['body']
  return saveApproved({
    payload,
    data: {
      title,
      slug,
      summary: '基准测试：发稿到可搜索。',
      section: sectionId,
      body,
      // A one-paragraph story fails the house checks (length, image): the admin overrides them,
      // as the desk may, with a reason the audit log keeps.
      checksOverride: '基准测试稿件（benchmark story）',
    },
  })
}
