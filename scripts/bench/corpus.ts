import { sql } from '@payloadcms/db-postgres'
import { demoStories } from '../../cms/seed/content/stories.ts'
import type { DemoBlock } from '../../cms/seed/content/types.ts'
import { demoBodyToLexical } from '../../cms/seed/lexical.ts'
import { collectionSlugs } from '../../cms/slugs.ts'
import { runCli } from '../lib/cli.ts'
import { seedFromEnvironment } from '../lib/demo.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

/**
 * `node --import tsx scripts/bench/corpus.ts <stories> <seed>` (run by the benchmarks, on
 * the database and media folder they name): the demo newsroom plus generated published
 * stories up to <stories>, reproducible from <seed>. Bodies are 800–6,000 汉字 assembled from
 * the demo stories' paragraphs, with headings, quotes and 1–4 images from the demo pool.
 */
runCli(async () => {
  const target = Number(process.argv[2])
  const seed = Number(process.argv[3] ?? 1)
  if (!Number.isInteger(target) || target < 1)
    throw new Error('corpus: the number of stories must be a whole number')
  const payload = await loadMigratedPayload()
  const { totalDocs: users } = await payload.count({ collection: collectionSlugs.users })
  if (users === 0) await seedFromEnvironment({ payload })
  const existing = (await payload.count({ collection: collectionSlugs.stories })).totalDocs
  const sections = (await payload.find({ collection: collectionSlugs.sections, pagination: false, depth: 0 }))
    .docs
  const people = (await payload.find({ collection: collectionSlugs.people, pagination: false, depth: 0 }))
    .docs
  const images = (await payload.find({ collection: collectionSlugs.media, pagination: false, depth: 0 })).docs
  const blocks = demoStories
    .flatMap((story) => story.body)
    .filter((block) => 'p' in block || 'h2' in block || 'quote' in block)
  const paragraphs = blocks.filter((block): block is { p: string } => 'p' in block)
  const headings = blocks.filter((block): block is { h2: string } => 'h2' in block)
  const quotes = blocks.filter((block): block is { quote: string } => 'quote' in block)
  const tags = [...new Set(demoStories.flatMap((story) => story.tags ?? []))]
  const random = mulberry32(seed * 7919 + existing)
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T
  const started = performance.now()
  const toMake = Math.max(0, target - existing)
  const concurrency = 4
  let made = 0
  const makeOne = async (n: number) => {
    const hanziTarget = 800 + Math.floor(random() * 5200)
    const body: DemoBlock[] = []
    let length = 0
    const imageCount = 1 + Math.floor(random() * 4)
    while (length < hanziTarget) {
      const roll = random()
      const block: DemoBlock = roll < 0.08 ? pick(headings) : roll < 0.14 ? pick(quotes) : pick(paragraphs)
      body.push(block)
      length += Object.values(block)[0]?.length ?? 0
      if (body.length % 6 === 3 && body.filter((b) => 'image' in b).length < imageCount) {
        body.push({ image: Math.floor(random() * images.length), caption: '资料图片' } as DemoBlock)
      }
    }
    const publishedAt = new Date(
      Date.UTC(2020, 0, 1) + Math.floor(random() * 6 * 365 * 86_400_000),
    ).toISOString()
    await payload.create({
      collection: collectionSlugs.stories,
      data: {
        title: `${pick(headings).h2}（${seed}-${existing + n}）`,
        summary: pick(paragraphs).p.slice(0, 80),
        section: pick(sections).id,
        people: [pick(people).id],
        tags: [pick(tags), pick(tags)].filter((tag, index, all) => all.indexOf(tag) === index),
        heroImage: pick(images).id,
        body: demoBodyToLexical({
          blocks: body,
          imageIds: (index) => images[index % images.length]?.id as number,
        }),
        byline: { text: '记者 王晓燕' },
        stage: 'published',
        _status: 'published',
        publishedAt,
      },
      context: { isSeed: true },
    })
    made += 1
    if (made % 500 === 0) console.log(`corpus: ${existing + made} / ${target} stories`)
  }
  for (let next = 0; next < toMake; next += concurrency) {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, toMake - next) }, (_, offset) => makeOne(next + offset)),
    )
  }
  const seconds = (performance.now() - started) / 1000
  console.log(`corpus: ${existing + made} stories (${made} new in ${seconds.toFixed(1)} s)`)
  // Fresh statistics, as autovacuum would gather after a bulk load (it may be off, as on
  // these machines): every benchmark then meets the planner a running newsroom has.
  if (made > 0) await payload.db.drizzle.execute(sql`analyze`)
  await closePayload(payload)
})

/** A small seeded PRNG, so that a corpus is the same for the same seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
