import { readAllPublished } from '../../cms/publishing/readPublishedStories.ts'
import { loadRenderer } from '../../cms/publishing/site/renderer.ts'
import { summarize } from '../../site/src/lib/pages.ts'
import { planSite, storyPageData } from '../../site/src/lib/plan.ts'
import { runCli } from '../lib/cli.ts'
import { closePayload, loadMigratedPayload } from '../lib/payload.ts'

runCli(async () => {
  const payload = await loadMigratedPayload()
  let t = performance.now()
  const full = new Map()
  const summaries = []
  for await (const story of readAllPublished({ payload, limit: 500 })) {
    full.set(story.id, story)
    summaries.push(summarize({ story, stamp: story.updatedAt }))
  }
  const plateMs = performance.now() - t
  const renderer = await loadRenderer()
  t = performance.now()
  const plan = planSite({ stories: summaries })
  const pages = [...plan.storyPages()]
  const lists = plan.listPages()
  const planMs = performance.now() - t
  t = performance.now()
  let bytes = 0
  for (const page of pages) {
    const html = await renderer.render({
      path: page.path,
      data: storyPageData({ page, story: full.get(page.story.id), layout: plan.layout }),
      siteUrl: 'http://localhost:4321',
    })
    bytes += html.length
  }
  const storyMs = performance.now() - t
  t = performance.now()
  for (const page of lists) {
    const html = await renderer.render({ path: page.path, data: page.data, siteUrl: 'http://localhost:4321' })
    bytes += html.length
  }
  const listMs = performance.now() - t
  console.log(
    JSON.stringify({
      n: summaries.length,
      lists: lists.length,
      plateMs,
      planMs,
      storyMs,
      listMs,
      bytes,
      rss: process.memoryUsage().rss >> 20,
    }),
  )
  await closePayload(payload)
})
